Gem::Specification.new do |s|
  s.summary = "no name, no version"
end
