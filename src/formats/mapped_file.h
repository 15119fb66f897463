#pragma once
// A whole file mapped read-only into memory, for the weight readers (safetensors, CTranslate2).
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <span>

#include "crossmt/error.h"

namespace crossmt {

// A read-only private mapping: the file is never written, and read-only files work.
class MappedFile {
 public:
  explicit MappedFile(const std::filesystem::path& file) {
    const int descriptor = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (descriptor < 0) throw Error(file.string() + ": cannot open: " + std::strerror(errno));
    struct stat info {};
    if (::fstat(descriptor, &info) != 0) {
      const int saved = errno;
      ::close(descriptor);
      throw Error(file.string() + ": cannot stat: " + std::strerror(saved));
    }
    size_ = static_cast<size_t>(info.st_size);
    if (size_ > 0) {  // mmap refuses length 0; the parser reports the empty file
      void* address = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, descriptor, 0);
      if (address == MAP_FAILED) {
        const int saved = errno;
        ::close(descriptor);
        throw Error(file.string() + ": cannot map: " + std::strerror(saved));
      }
      data_ = static_cast<const std::byte*>(address);
    }
    ::close(descriptor);  // the mapping outlives the descriptor
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<std::byte*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const std::byte> bytes() const { return {data_, size_}; }

  // Drops the resident pages wholly inside [begin, begin + size) (a later read maps them in
  // again from the file): a tensor copied out need not stay in memory twice.
  void release(const std::byte* begin, size_t size) const {
    const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
    const uintptr_t first = (reinterpret_cast<uintptr_t>(begin) + page - 1) / page * page;
    const uintptr_t last = (reinterpret_cast<uintptr_t>(begin) + size) / page * page;
    if (last > first) ::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
  }

 private:
  const std::byte* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace crossmt
