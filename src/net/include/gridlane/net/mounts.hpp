#pragma once
//! The server's mount table: which handler serves a request, chosen by the path of its target
//! (the part before '?', as sent). A mount is a path and a handler; adding one is one line.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace gridlane::net {

enum class MountMatch {
  Exact,  //!< the path equals the mount's ("/health")
  Prefix, //!< the path starts with the mount's, which ends in '/' ("/api/v1/"); the mount's path
          //!< without its final '/' matches too ("/api/v1")
};

//! The path of a request target: the target without its query.
constexpr std::string_view target_path(std::string_view target) {
  return target.substr(0, target.find('?'));
}

template <class Handler> class MountTable {
public:
  struct Mount {
    std::string path;
    MountMatch match;
    Handler handler;
  };

  //! Adds a mount. A Prefix mount's path ends in '/' ("/" itself mounts everything not
  //! mounted elsewhere).
  void add(std::string path, MountMatch match, Handler handler) {
    mounts_.push_back(Mount{std::move(path), match, std::move(handler)});
  }

  //! The mount serving `path`: an Exact mount equal to it, else the Prefix mount with the
  //! longest path matching it; nullptr when none does.
  const Mount *find(std::string_view path) const {
    const Mount *best = nullptr;
    for (const auto &m : mounts_) {
      if (m.match == MountMatch::Exact) {
        if (path == m.path) return &m;
        continue;
      }
      if (!matches_prefix(m.path, path)) continue;
      if (!best || m.path.size() > best->path.size()) best = &m;
    }
    return best;
  }

  const std::vector<Mount> &mounts() const { return mounts_; }

private:
  static bool matches_prefix(std::string_view mount, std::string_view path) {
    if (path.substr(0, mount.size()) == mount) return true;
    // "/api/v1" is served by "/api/v1/" (but "/" is not the empty path).
    return mount.size() > 1 && mount.back() == '/' && path == mount.substr(0, mount.size() - 1);
  }

  std::vector<Mount> mounts_;
};

} // namespace gridlane::net
