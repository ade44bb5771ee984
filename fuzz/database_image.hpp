#pragma once
//! A database prepared once per fuzzing process on tmpfs and copied afresh for every input:
//! migrating (and seeding) a database for each input would cost most of an input's time.
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <unistd.h>

namespace gridlane::fuzz {

class DatabaseImage {
public:
  //! `prepare(path)` writes the database every input starts from, and closes it.
  DatabaseImage(const std::string &name, const std::function<void(const std::string &path)> &prepare)
      : dir_(std::filesystem::path(std::filesystem::exists("/dev/shm") ? "/dev/shm" : "/tmp") /
             ("gridlane-fuzz-" + name + "-" + std::to_string(::getpid()))),
        db_(dir_ / "fuzz.db") {
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const auto prepared = dir_ / "prepared.db";
    prepare(prepared.string());
    std::ifstream in(prepared, std::ios::binary);
    image_.assign(std::istreambuf_iterator<char>(in), {});
  }
  ~DatabaseImage() { remove(); }

  //! A fresh copy of the prepared database: its path.
  std::string fresh() const {
    for (const char *suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(db_.string() + suffix);
    // Written from memory: std::filesystem::copy_file gives up on EINTR, and libFuzzer's
    // timeout alarm interrupts system calls every second.
    std::ofstream(db_, std::ios::binary).write(image_.data(), static_cast<std::streamsize>(image_.size()));
    return db_.string();
  }

  //! Removes the files (also at exit, where libFuzzer does not run destructors).
  void remove() const {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

private:
  std::filesystem::path dir_;
  std::filesystem::path db_;
  std::string image_; //!< the prepared database file's bytes
};

} // namespace gridlane::fuzz
