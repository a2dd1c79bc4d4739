#include "bulkhead/archive/decompress.h"

#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <vector>

#ifdef BULKHEAD_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

namespace bulkhead::archive {
namespace {

constexpr size_t kInputBufferBytes = 256 * 1024;

// Owns the compressed input: a buffer refilled from the inner source.
class InputBuffer {
 public:
  explicit InputBuffer(std::unique_ptr<ByteSource> in)
      : in_(std::move(in)), buf_(kInputBufferBytes) {}

  /// Makes at least one byte available unless the inner source ended. Returns false at
  /// the end.
  Result<bool> Fill() {
    if (pos_ < len_) return true;
    if (eof_) return false;
    Result<size_t> n = in_->Read(buf_.data(), buf_.size());
    if (!n.ok()) return n.error();
    pos_ = 0;
    len_ = *n;
    if (len_ == 0) eof_ = true;
    return len_ > 0;
  }
  uint8_t* data() { return buf_.data() + pos_; }
  size_t available() const { return len_ - pos_; }
  void Consume(size_t n) { pos_ += n; }
  const std::string& name() const { return in_->name(); }
  /// Reads ahead until `n` bytes are buffered (or the end); used for magic sniffing.
  Result<size_t> Peek(size_t n) {
    while (!eof_ && len_ - pos_ < n) {
      if (pos_ > 0) {
        std::memmove(buf_.data(), buf_.data() + pos_, len_ - pos_);
        len_ -= pos_;
        pos_ = 0;
      }
      Result<size_t> got = in_->Read(buf_.data() + len_, buf_.size() - len_);
      if (!got.ok()) return got.error();
      if (*got == 0) eof_ = true;
      len_ += *got;
    }
    return len_ - pos_;
  }

 private:
  std::unique_ptr<ByteSource> in_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0;
  size_t len_ = 0;
  bool eof_ = false;
};

bool IsGzipMagic(const uint8_t* p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }
bool IsZstdMagic(const uint8_t* p, size_t n) {
  return n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd;
}

// Shared shape of every decompressor: the output cap, sticky errors, the source name.
class DecompressorBase : public ByteSource {
 public:
  DecompressorBase(std::unique_ptr<ByteSource> in, const DecompressOptions& options,
                   std::string_view format)
      : in_(std::move(in)),
        max_output_(options.max_output_bytes),
        name_(in_.name() + " (" + std::string(format) + ")") {}

  Result<size_t> Read(uint8_t* buf, size_t size) final {
    if (!error_.ok()) return error_;
    if (done_ || size == 0) return size_t{0};
    Result<size_t> n = ReadSome(buf, size);
    if (!n.ok()) return error_ = n.error();
    produced_ += *n;
    if (produced_ > max_output_) {
      return error_ = Status::ResourceExhausted(
                 in_.name() + ": decompresses to more than the limit of " +
                 std::to_string(max_output_) + " bytes (a decompression bomb?)");
    }
    if (*n == 0) done_ = true;
    return n;
  }
  const std::string& name() const final { return name_; }

 protected:
  virtual Result<size_t> ReadSome(uint8_t* buf, size_t size) = 0;
  Status Corrupt(const std::string& what) { return Status::Corruption(in_.name() + ": " + what); }
  /// After the end of a compressed member: true when another gzip member follows.
  Result<bool> AnotherGzipMember() {
    BULKHEAD_ASSIGN_OR_RETURN(size_t avail, in_.Peek(2));
    if (avail == 0) return false;
    if (IsGzipMagic(in_.data(), avail)) return true;
    return Corrupt("unexpected data after the end of the compressed stream");
  }

  InputBuffer in_;

 private:
  uint64_t max_output_;
  uint64_t produced_ = 0;
  bool done_ = false;
  Status error_;
  std::string name_;
};

class PlainSource final : public DecompressorBase {
 public:
  using DecompressorBase::DecompressorBase;

 protected:
  Result<size_t> ReadSome(uint8_t* buf, size_t size) override {
    BULKHEAD_ASSIGN_OR_RETURN(bool more, in_.Fill());
    if (!more) return size_t{0};
    size_t n = std::min(size, in_.available());
    std::memcpy(buf, in_.data(), n);
    in_.Consume(n);
    return n;
  }
};

#ifdef BULKHEAD_HAVE_ISAL
// ISA-L inflates the deflate data and checks the trailer (CRC-32 and ISIZE); the member
// header is parsed here. ISA-L 2.30's own header parser fails on valid headers with
// FHCRC when the header arrives in pieces (as it does after the magic is sniffed).
class IsalGzipSource final : public DecompressorBase {
 public:
  IsalGzipSource(std::unique_ptr<ByteSource> in, const DecompressOptions& options)
      : DecompressorBase(std::move(in), options, "gzip"),
        state_(std::make_unique<inflate_state>()) {
    StartMember();
  }

 protected:
  Result<size_t> ReadSome(uint8_t* buf, size_t size) override {
    for (;;) {
      if (state_->block_state == ISAL_BLOCK_FINISH) {
        BULKHEAD_ASSIGN_OR_RETURN(bool more, AnotherGzipMember());
        if (!more) return size_t{0};
        StartMember();
      }
      if (!header_done_) {
        BULKHEAD_RETURN_IF_ERROR(ReadMemberHeader());
        header_done_ = true;
      }
      BULKHEAD_ASSIGN_OR_RETURN(bool have_input, in_.Fill());
      state_->next_in = in_.data();
      state_->avail_in = static_cast<uint32_t>(in_.available());
      state_->next_out = buf;
      state_->avail_out = static_cast<uint32_t>(std::min<size_t>(size, UINT32_MAX));
      int rc = isal_inflate(state_.get());
      in_.Consume(in_.available() - state_->avail_in);
      if (rc < 0) return Corrupt(ErrorText(rc));
      size_t produced = static_cast<size_t>(state_->next_out - buf);
      if (produced > 0) return produced;
      if (state_->block_state == ISAL_BLOCK_FINISH) continue;
      if (!have_input) return Corrupt("truncated gzip stream");
    }
  }

 private:
  void StartMember() {
    isal_inflate_init(state_.get());
    state_->crc_flag = ISAL_GZIP_NO_HDR_VER;
    header_done_ = false;
  }

  // The next input byte of the member header, folded into the header CRC.
  Result<uint8_t> HeaderByte() {
    BULKHEAD_ASSIGN_OR_RETURN(bool more, in_.Fill());
    if (!more) return Corrupt("truncated gzip stream (in a member header)");
    uint8_t b = *in_.data();
    in_.Consume(1);
    header_crc_ = crc32(header_crc_, &b, 1);
    return b;
  }

  // RFC 1952 section 2.3: ID1 ID2 CM FLG MTIME(4) XFL OS [XLEN extra] [name\0]
  // [comment\0] [CRC16].
  Status ReadMemberHeader() {
    constexpr uint8_t kFhcrc = 2, kFextra = 4, kFname = 8, kFcomment = 16;
    header_crc_ = crc32(0, nullptr, 0);
    uint8_t fixed[10];
    for (uint8_t& b : fixed) {
      BULKHEAD_ASSIGN_OR_RETURN(b, HeaderByte());
    }
    if (fixed[0] != 0x1f || fixed[1] != 0x8b) return Corrupt("invalid gzip header");
    if (fixed[2] != 8) return Corrupt("unsupported gzip compression method");
    const uint8_t flags = fixed[3];
    if (flags & 0xe0) return Corrupt("invalid gzip header (reserved flags set)");
    if (flags & kFextra) {
      BULKHEAD_ASSIGN_OR_RETURN(uint8_t lo, HeaderByte());
      BULKHEAD_ASSIGN_OR_RETURN(uint8_t hi, HeaderByte());
      for (unsigned left = lo | (hi << 8); left > 0; --left) {
        BULKHEAD_ASSIGN_OR_RETURN(uint8_t b, HeaderByte());
        (void)b;
      }
    }
    for (uint8_t flag : {kFname, kFcomment}) {
      if (!(flags & flag)) continue;
      for (;;) {
        BULKHEAD_ASSIGN_OR_RETURN(uint8_t b, HeaderByte());
        if (b == 0) break;
      }
    }
    if (flags & kFhcrc) {
      const uint32_t want = header_crc_ & 0xffff;
      BULKHEAD_ASSIGN_OR_RETURN(uint8_t lo, HeaderByte());
      BULKHEAD_ASSIGN_OR_RETURN(uint8_t hi, HeaderByte());
      if (static_cast<uint32_t>(lo | (hi << 8)) != want) {
        return Corrupt("gzip header checksum mismatch");
      }
    }
    return Status::OK();
  }

  static std::string ErrorText(int rc) {
    switch (rc) {
      case ISAL_INVALID_WRAPPER:
        return "invalid gzip header";
      case ISAL_INCORRECT_CHECKSUM:
        return "gzip checksum mismatch";
      default:
        return "corrupt deflate data (isa-l error " + std::to_string(rc) + ")";
    }
  }
  std::unique_ptr<inflate_state> state_;
  bool header_done_ = false;
  uLong header_crc_ = 0;
};
#endif

class ZlibGzipSource final : public DecompressorBase {
 public:
  ZlibGzipSource(std::unique_ptr<ByteSource> in, const DecompressOptions& options)
      : DecompressorBase(std::move(in), options, "gzip") {
    std::memset(&zs_, 0, sizeof(zs_));
    init_rc_ = inflateInit2(&zs_, 16 + MAX_WBITS);
  }
  ~ZlibGzipSource() override { inflateEnd(&zs_); }

 protected:
  Result<size_t> ReadSome(uint8_t* buf, size_t size) override {
    if (init_rc_ != Z_OK) return Status::Internal("zlib inflateInit2 failed");
    for (;;) {
      if (member_done_) {
        BULKHEAD_ASSIGN_OR_RETURN(bool more, AnotherGzipMember());
        if (!more) return size_t{0};
        inflateReset(&zs_);
        member_done_ = false;
      }
      BULKHEAD_ASSIGN_OR_RETURN(bool have_input, in_.Fill());
      zs_.next_in = in_.data();
      zs_.avail_in = static_cast<uInt>(in_.available());
      zs_.next_out = buf;
      zs_.avail_out = static_cast<uInt>(std::min<size_t>(size, UINT32_MAX));
      int rc = inflate(&zs_, Z_NO_FLUSH);
      in_.Consume(in_.available() - zs_.avail_in);
      if (rc == Z_STREAM_END)
        member_done_ = true;
      else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        return Corrupt(std::string("corrupt gzip data: ") + (zs_.msg ? zs_.msg : "zlib error"));
      }
      size_t produced = static_cast<size_t>(zs_.next_out - buf);
      if (produced > 0) return produced;
      if (!member_done_ && !have_input) return Corrupt("truncated gzip stream");
    }
  }

 private:
  z_stream zs_;
  int init_rc_;
  bool member_done_ = false;
};

class ZstdSource final : public DecompressorBase {
 public:
  ZstdSource(std::unique_ptr<ByteSource> in, const DecompressOptions& options)
      : DecompressorBase(std::move(in), options, "zstd"), ds_(ZSTD_createDStream()) {
    // Bound the window (and so memory) to 128 MiB whatever the frame header claims.
    ZSTD_DCtx_setParameter(ds_, ZSTD_d_windowLogMax, 27);
  }
  ~ZstdSource() override { ZSTD_freeDStream(ds_); }

 protected:
  Result<size_t> ReadSome(uint8_t* buf, size_t size) override {
    for (;;) {
      BULKHEAD_ASSIGN_OR_RETURN(bool have_input, in_.Fill());
      if (!have_input && frame_done_) return size_t{0};
      ZSTD_inBuffer input{in_.data(), in_.available(), 0};
      ZSTD_outBuffer output{buf, size, 0};
      size_t rc = ZSTD_decompressStream(ds_, &output, &input);
      in_.Consume(input.pos);
      if (ZSTD_isError(rc))
        return Corrupt(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
      frame_done_ = (rc == 0);
      if (output.pos > 0) return output.pos;
      if (!have_input) return Corrupt("truncated zstd stream");
    }
  }

 private:
  ZSTD_DStream* ds_;
  bool frame_done_ = true;  // nothing started yet: an empty input is an empty stream
};

}  // namespace

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kNone:
      break;
  }
  return "none";
}

bool HaveIsal() {
#ifdef BULKHEAD_HAVE_ISAL
  return true;
#else
  return false;
#endif
}

Result<std::unique_ptr<ByteSource>> OpenDecompressed(std::unique_ptr<ByteSource> in,
                                                     const DecompressOptions& options,
                                                     Compression* detected) {
  uint8_t magic[4];
  size_t have = 0;
  while (have < sizeof(magic)) {
    BULKHEAD_ASSIGN_OR_RETURN(size_t n, in->Read(magic + have, sizeof(magic) - have));
    if (n == 0) break;
    have += n;
  }
  Compression c = IsGzipMagic(magic, have)   ? Compression::kGzip
                  : IsZstdMagic(magic, have) ? Compression::kZstd
                                             : Compression::kNone;
  if (detected) *detected = c;
  // Put the sniffed bytes back in front of the stream.
  class Prefixed final : public ByteSource {
   public:
    Prefixed(std::unique_ptr<ByteSource> inner, const uint8_t* p, size_t n)
        : inner_(std::move(inner)), prefix_(p, p + n) {}
    Result<size_t> Read(uint8_t* buf, size_t size) override {
      if (pos_ < prefix_.size()) {
        size_t n = std::min(size, prefix_.size() - pos_);
        std::memcpy(buf, prefix_.data() + pos_, n);
        pos_ += n;
        return n;
      }
      return inner_->Read(buf, size);
    }
    const std::string& name() const override { return inner_->name(); }

   private:
    std::unique_ptr<ByteSource> inner_;
    std::vector<uint8_t> prefix_;
    size_t pos_ = 0;
  };
  auto src = std::make_unique<Prefixed>(std::move(in), magic, have);
  switch (c) {
    case Compression::kGzip:
#ifdef BULKHEAD_HAVE_ISAL
      if (options.gzip_engine == GzipEngine::kDefault) {
        return std::unique_ptr<ByteSource>(
            std::make_unique<IsalGzipSource>(std::move(src), options));
      }
#endif
      return std::unique_ptr<ByteSource>(std::make_unique<ZlibGzipSource>(std::move(src), options));
    case Compression::kZstd:
      return std::unique_ptr<ByteSource>(std::make_unique<ZstdSource>(std::move(src), options));
    case Compression::kNone:
      break;
  }
  return std::unique_ptr<ByteSource>(
      std::make_unique<PlainSource>(std::move(src), options, "uncompressed"));
}

}  // namespace bulkhead::archive
