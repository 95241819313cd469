// Finds the loaded object that holds this function and reads its NT_GNU_BUILD_ID note from the
// program headers in memory: no file is opened and nothing is hashed.
#include "support/BuildIdentity.h"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <elf.h>
#include <link.h>

namespace fulcrum {
namespace {

struct Search {
  uintptr_t address = 0; // an address inside the object we look for
  std::string identity;
};

bool contains(const dl_phdr_info& object, uintptr_t address) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = object.dlpi_phdr[i];
    const uintptr_t start = object.dlpi_addr + segment.p_vaddr;
    if (segment.p_type == PT_LOAD && address >= start && address - start < segment.p_memsz)
      return true;
  }
  return false;
}

std::string buildIdOf(const dl_phdr_info& object) {
  for (int i = 0; i < object.dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = object.dlpi_phdr[i];
    if (segment.p_type != PT_NOTE)
      continue;
    const auto* at = reinterpret_cast<const unsigned char*>(object.dlpi_addr + segment.p_vaddr);
    const unsigned char* end = at + segment.p_memsz;
    while (end - at >= static_cast<std::ptrdiff_t>(sizeof(ElfW(Nhdr)))) {
      ElfW(Nhdr) note;
      std::memcpy(&note, at, sizeof note);
      const unsigned char* name = at + sizeof note;
      const unsigned char* descriptor = name + ((note.n_namesz + 3) & ~3u);
      const unsigned char* next = descriptor + ((note.n_descsz + 3) & ~3u);
      if (next > end || next <= at)
        break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 &&
          std::memcmp(name, "GNU", 4) == 0 && note.n_descsz > 0) {
        static constexpr char kDigits[] = "0123456789abcdef";
        std::string hex;
        for (uint32_t b = 0; b < note.n_descsz; ++b) {
          hex += kDigits[descriptor[b] >> 4];
          hex += kDigits[descriptor[b] & 15];
        }
        return hex;
      }
      at = next;
    }
  }
  return "";
}

int visit(dl_phdr_info* object, size_t, void* data) {
  auto* search = static_cast<Search*>(data);
  if (!contains(*object, search->address))
    return 0;
  search->identity = buildIdOf(*object);
  return 1; // found the object: stop
}

} // namespace

const std::string& buildIdentity() {
  static const std::string identity = [] {
    Search search;
    search.address = reinterpret_cast<uintptr_t>(&visit);
    dl_iterate_phdr(visit, &search);
    return search.identity;
  }();
  return identity;
}

} // namespace fulcrum
