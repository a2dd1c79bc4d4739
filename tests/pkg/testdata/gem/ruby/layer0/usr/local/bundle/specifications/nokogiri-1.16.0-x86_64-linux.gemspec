# -*- encoding: utf-8 -*-
# stub: nokogiri 1.16.0 x86_64-linux lib

Gem::Specification.new do |s|
  s.name = "nokogiri".freeze
  s.version = Gem::Version.new("1.16.0")
  s.platform = "x86_64-linux".freeze
  s.required_ruby_version = Gem::Requirement.new([">= 3.0".freeze, "< 3.4.dev".freeze])
  s.summary = "Nokogiri (\u92F8) makes it easy and painless to work with XML and HTML from Ruby.".freeze
  s.add_runtime_dependency(%q<racc>.freeze, ["~> 1.4".freeze])
end
