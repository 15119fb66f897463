// ZipArchive: libzip behind a small interface that refuses hostile names and sizes (see the header).
#include "zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cctype>
#include <cstring>
#include <map>
#include <unistd.h>

#include "crossmt/error.h"

namespace crossmt {
namespace fs = std::filesystem;

namespace {

std::string libzip_message(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string message = zip_error_strerror(&error);
  zip_error_fini(&error);
  return message;
}

std::string entry_label(const std::string& name) { return "entry '" + name + "'"; }

}  // namespace

bool is_safe_zip_entry_name(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos)
    return false;
  if (name.size() >= 2 && name[1] == ':' && std::isalpha(static_cast<unsigned char>(name[0]))) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string::npos) end = name.size();
    if (name.compare(start, end - start, "..") == 0 && end - start == 2) return false;
    start = end + 1;
  }
  return true;
}

struct ZipArchive::Impl {
  zip_t* archive = nullptr;
  std::string origin;
  ZipLimits limits;
  std::vector<ZipEntry> entries;
  std::map<std::string, size_t> by_name;

  ~Impl() {
    if (archive) zip_discard(archive);
  }

  [[noreturn]] void fail(const std::string& what) const { throw Error(origin + ": " + what); }

  void list() {
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    if (count < 0) fail("cannot list the zip entries");
    if (static_cast<uint64_t>(count) > limits.max_entries)
      fail("holds " + std::to_string(count) + " entries, more than the " + std::to_string(limits.max_entries) +
           " accepted");
    uint64_t total = 0, total_compressed = 0;
    for (zip_int64_t index = 0; index < count; ++index) {
      zip_stat_t stat;
      zip_stat_init(&stat);
      if (zip_stat_index(archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0)
        fail("cannot read zip entry " + std::to_string(index) + ": " + zip_strerror(archive));
      const zip_uint64_t needed = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD;
      if ((stat.valid & needed) != needed || stat.name == nullptr)
        fail("zip entry " + std::to_string(index) + " lacks its name or sizes");
      ZipEntry entry;
      entry.name = stat.name;
      entry.size = stat.size;
      entry.compressed_size = stat.comp_size;
      entry.stored = stat.comp_method == ZIP_CM_STORE;
      entry.index = static_cast<uint64_t>(index);
      if (!is_safe_zip_entry_name(entry.name))
        fail(entry_label(entry.name) + ": unsafe name (absolute, '..' or backslash path)");
      if ((stat.valid & ZIP_STAT_ENCRYPTION_METHOD) && stat.encryption_method != ZIP_EM_NONE)
        fail(entry_label(entry.name) + ": encrypted entries are not supported");
      if (stat.comp_method != ZIP_CM_STORE && stat.comp_method != ZIP_CM_DEFLATE)
        fail(entry_label(entry.name) + ": compression method " + std::to_string(stat.comp_method) +
             " is not supported (only stored and deflated)");
      if (entry.size > limits.max_entry_bytes)
        fail(entry_label(entry.name) + ": declares " + std::to_string(entry.size) + " bytes uncompressed, over the limit of " +
             std::to_string(limits.max_entry_bytes));
      if (entry.stored && entry.size != entry.compressed_size)
        fail(entry_label(entry.name) + ": stored entry declares " + std::to_string(entry.size) + " bytes but holds " +
             std::to_string(entry.compressed_size));
      if (!entry.stored && entry.size > (uint64_t{1} << 20) &&
          (entry.compressed_size == 0 || entry.size / entry.compressed_size > limits.max_ratio))
        fail(entry_label(entry.name) + ": declares " + std::to_string(entry.size) + " bytes from " +
             std::to_string(entry.compressed_size) + " compressed (a zip bomb or a corrupt header)");
      total += entry.size;
      total_compressed += entry.compressed_size;
      if (total > limits.max_total_bytes)
        fail("the entries declare more than " + std::to_string(limits.max_total_bytes) +
             " bytes uncompressed in all (a zip bomb?)");
      if (total > (uint64_t{64} << 20) && total / std::max<uint64_t>(total_compressed, 1) > limits.max_total_ratio)
        fail("the entries declare " + std::to_string(total) + " bytes from " + std::to_string(total_compressed) +
             " compressed (a zip bomb?)");
      if (!by_name.emplace(entry.name, entries.size()).second) fail(entry_label(entry.name) + ": appears twice");
      entries.push_back(std::move(entry));
    }
  }
};

ZipArchive::ZipArchive() : impl_(std::make_unique<Impl>()) {}
ZipArchive::~ZipArchive() = default;
ZipArchive::ZipArchive(ZipArchive&&) noexcept = default;
ZipArchive& ZipArchive::operator=(ZipArchive&&) noexcept = default;

ZipArchive ZipArchive::open(const fs::path& file, const ZipLimits& limits) {
  ZipArchive result;
  Impl& impl = *result.impl_;
  impl.origin = file.string();
  impl.limits = limits;
  int code = 0;
  impl.archive = zip_open(file.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
  if (!impl.archive) impl.fail("not a readable zip archive (" + libzip_message(code) + ")");
  impl.list();
  return result;
}

ZipArchive ZipArchive::open_bytes(std::span<const std::byte> bytes, const std::string& origin,
                                  const ZipLimits& limits) {
  ZipArchive result;
  Impl& impl = *result.impl_;
  impl.origin = origin;
  impl.limits = limits;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (!source) {
    const std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    impl.fail("cannot read the bytes (" + message + ")");
  }
  impl.archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!impl.archive) {
    zip_source_free(source);
    const std::string message = zip_error_strerror(&error);
    zip_error_fini(&error);
    impl.fail("not a readable zip archive (" + message + ")");
  }
  zip_error_fini(&error);
  impl.list();
  return result;
}

const std::string& ZipArchive::origin() const { return impl_->origin; }
const std::vector<ZipEntry>& ZipArchive::entries() const { return impl_->entries; }

const ZipEntry* ZipArchive::find(const std::string& name) const {
  const auto found = impl_->by_name.find(name);
  return found == impl_->by_name.end() ? nullptr : &impl_->entries[found->second];
}

std::vector<std::byte> ZipArchive::read(const std::string& name) const {
  const ZipEntry* entry = find(name);
  if (!entry) impl_->fail(entry_label(name) + ": missing");
  return read(*entry);
}

std::vector<std::byte> ZipArchive::read(const ZipEntry& entry) const {
  const Impl& impl = *impl_;
  const std::string where = entry_label(entry.name) + ": ";
  zip_file_t* file = zip_fopen_index(impl.archive, entry.index, 0);
  if (!file) impl.fail(where + "cannot open (" + zip_strerror(impl.archive) + ")");
  struct Closer {
    zip_file_t* file;
    ~Closer() { zip_fclose(file); }
  } closer{file};
  // The size was checked against the cap when the archive was opened; the running count below
  // makes sure the entry does not inflate past it.
  std::vector<std::byte> bytes(static_cast<size_t>(entry.size));
  uint64_t done = 0;
  while (done < entry.size) {
    const uint64_t chunk = std::min<uint64_t>(entry.size - done, uint64_t{1} << 24);
    const zip_int64_t got = zip_fread(file, bytes.data() + done, chunk);
    if (got < 0) impl.fail(where + "cannot be read (" + zip_file_strerror(file) + ")");
    if (got == 0)
      impl.fail(where + "ends after " + std::to_string(done) + " of its declared " + std::to_string(entry.size) +
                " bytes (truncated archive?)");
    done += static_cast<uint64_t>(got);
  }
  std::byte extra[1];
  const zip_int64_t beyond = zip_fread(file, extra, 1);
  if (beyond > 0)
    impl.fail(where + "inflates past its declared " + std::to_string(entry.size) + " bytes (a zip bomb?)");
  if (beyond < 0) impl.fail(where + "cannot be read (" + zip_file_strerror(file) + ")");
  return bytes;
}

void write_stored_zip(const fs::path& file, const std::vector<ZipWriteEntry>& entries) {
  static std::atomic<unsigned> counter{0};
  std::string temporary_name = ".";  // hidden, unique per process and call
  temporary_name += file.filename().string();
  temporary_name += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const fs::path temporary = file.parent_path() / temporary_name;
  const auto fail = [&](const std::string& what) {
    std::error_code ignored;
    fs::remove(temporary, ignored);
    throw Error(file.string() + ": " + what);
  };
  int code = 0;
  zip_t* archive = zip_open(temporary.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (!archive) fail("cannot create (" + libzip_message(code) + ")");
  for (const ZipWriteEntry& entry : entries) {
    std::vector<zip_buffer_fragment_t> fragments;
    for (const auto& part : entry.parts)
      if (!part.empty())
        fragments.push_back({reinterpret_cast<zip_uint8_t*>(const_cast<std::byte*>(part.data())), part.size()});
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_fragment_create(fragments.data(), fragments.size(), 0, &error);
    zip_error_fini(&error);
    if (!source) {
      zip_discard(archive);
      fail(entry_label(entry.name) + ": cannot add");
    }
    const zip_int64_t index = zip_file_add(archive, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(source);
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      fail(entry_label(entry.name) + ": cannot add (" + message + ")");
    }
    // A fixed time stamp (1980-01-02, the DOS epoch) keeps the output reproducible.
    if (zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0) != 0 ||
        zip_file_set_mtime(archive, static_cast<zip_uint64_t>(index), 315619200, 0) != 0) {
      const std::string message = zip_strerror(archive);
      zip_discard(archive);
      fail(entry_label(entry.name) + ": cannot store (" + message + ")");
    }
  }
  if (zip_close(archive) != 0) {
    const std::string message = zip_strerror(archive);
    zip_discard(archive);
    fail("cannot write (" + message + ")");
  }
  std::error_code error;
  fs::rename(temporary, file, error);
  if (error) fail("cannot replace: " + error.message());
}

}  // namespace crossmt
