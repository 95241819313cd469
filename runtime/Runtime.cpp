// The runtime library's anchor; its parts live in one folder each (data/, ...).
namespace fulcrum::runtime {
const char* version() {
  return "0.1.0";
}
} // namespace fulcrum::runtime
