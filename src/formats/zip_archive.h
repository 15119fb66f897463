#pragma once
// Reading and writing zip archives through libzip, with the checks a hostile archive needs: entry
// names that would escape a folder (`..`, absolute paths, drive letters, backslashes) are refused
// when the archive is opened, and an entry is read with a running byte count against both its
// declared size and a cap, so that neither a lying header nor a zip bomb makes crossmt allocate or
// inflate more than the cap. Used by the Marian .npz reader; general enough for other zip-based
// formats (an Argos Translate .argosmodel is a zip of a folder).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace crossmt {

struct ZipLimits {
  uint64_t max_entry_bytes = uint64_t{4} << 30;   // uncompressed size of one entry
  uint64_t max_total_bytes = uint64_t{16} << 30;  // sum of the declared uncompressed sizes
  uint64_t max_entries = 100'000;
  // Deflate cannot expand more than ~1032:1, so a larger declared ratio is a lie; entries under
  // 1 MiB are not checked (tiny files compress arbitrarily well relative to their headers).
  uint64_t max_ratio = 1100;
  // Many honest entries at ~1000:1 each still make a bomb: past 64 MiB in all, the entries may
  // not declare more than this many times their compressed bytes (weights compress ~1.1:1).
  uint64_t max_total_ratio = 100;
};

struct ZipEntry {
  std::string name;
  uint64_t size = 0;             // declared uncompressed size
  uint64_t compressed_size = 0;  // declared compressed size
  bool stored = false;           // no compression
  uint64_t index = 0;
};

class ZipArchive {
 public:
  // Throws crossmt::Error "<file>: ..." for anything libzip refuses (not a zip, truncated,
  // inconsistent headers) and "<file>: entry '<name>': ..." for a refused entry name or size.
  static ZipArchive open(const std::filesystem::path& file, const ZipLimits& limits = {});
  // The same on bytes already in memory (which must outlive the archive); `origin` names them.
  static ZipArchive open_bytes(std::span<const std::byte> bytes, const std::string& origin,
                               const ZipLimits& limits = {});
  ~ZipArchive();
  ZipArchive(ZipArchive&&) noexcept;
  ZipArchive& operator=(ZipArchive&&) noexcept;

  const std::string& origin() const;
  const std::vector<ZipEntry>& entries() const;
  const ZipEntry* find(const std::string& name) const;  // nullptr when absent
  // The entry's bytes; throws when it inflates to more or fewer bytes than declared, fails its
  // CRC, or is over the cap.
  std::vector<std::byte> read(const ZipEntry& entry) const;
  std::vector<std::byte> read(const std::string& name) const;

 private:
  ZipArchive();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `name` is a relative path that stays inside the folder it is extracted to.
bool is_safe_zip_entry_name(const std::string& name);

// A new archive with `files` (name, bytes) stored uncompressed, as numpy.savez writes them.
// Written to a temporary sibling renamed over `file` once complete.
struct ZipWriteEntry {
  std::string name;
  std::vector<std::span<const std::byte>> parts;  // concatenated; must stay alive during the call
};
void write_stored_zip(const std::filesystem::path& file, const std::vector<ZipWriteEntry>& entries);

}  // namespace crossmt
