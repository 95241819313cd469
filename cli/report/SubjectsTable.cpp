// The subjects table: its header (a sort button in each <th>) and the filter box, with the run's
// results embedded once as JSON (every cell the exact text of `fulcrum run --format csv`) and what
// the page's script needs to draw score bars and mark violations. The script (PageScript.cpp)
// renders the rows a page at a time: 6,000 subjects stay a small file and a quick page.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

namespace {

std::string resultsJson(const ReportInput& input) {
  const runtime::ResultTable& table = input.table();
  std::string out = "{\"columns\":[" + scriptJson(table.keyName);
  for (const runtime::OutputColumn& c : table.columns)
    out += "," + scriptJson(c.name);
  out += "],\"rows\":[";
  for (size_t s = 0; s < table.subjects(); ++s) {
    out += s ? ",\n[" : "\n[";
    out += scriptJson(table.keys[s]);
    for (size_t c = 0; c < table.columns.size(); ++c)
      out += "," + scriptJson(input.csv(c, s));
    out += "]";
  }
  out += "]}";
  return out;
}

// Each output cell as people read it (language.md, "How values are shown"), row by row as in
// the results: what the table shows, while each cell's text stays the CSV text.
std::string shownJson(const ReportInput& input) {
  const runtime::ResultTable& table = input.table();
  std::string out = "[";
  for (size_t s = 0; s < table.subjects(); ++s) {
    out += s ? ",\n[" : "\n[";
    for (size_t c = 0; c < table.columns.size(); ++c)
      out += (c ? "," : "") + scriptJson(input.shown(c, s));
    out += "]";
  }
  return out + "]";
}

// Scores (their components and weights) and each subject's violations: which cells to mark, and
// the values behind them as the run reports them.
std::string shapeJson(const ReportInput& input) {
  std::string out = "{\"numeric\":[";
  for (size_t c = 0; c < input.table().columns.size(); ++c) {
    out += (c ? "," : "");
    out += numericKind(input.table().columns[c].kind) ? "true" : "false";
  }
  out += "],\"scores\":[";
  bool first = true;
  for (const ScoreShape& score : input.shape.scores) {
    out += first ? "" : ",";
    first = false;
    out += fmt::format("{{\"name\":{},\"outOf\":{},\"components\":[", scriptJson(score.name),
                       score.outOf);
    for (size_t i = 0; i < score.components.size(); ++i)
      out += fmt::format("{}[{},{}]", i ? "," : "", scriptJson(score.components[i].column),
                         score.components[i].weight);
    out += "]}";
  }
  // As [key, [...]] pairs, not an object keyed by subject: the script makes a Map of them.
  out += "],\"violations\":[";
  std::map<std::string, std::vector<const runtime::CheckViolation*>> bySubject;
  for (const runtime::CheckViolation& v : input.result.violations)
    bySubject[v.subject].push_back(&v);
  first = true;
  for (const auto& [subject, violations] : bySubject) {
    out += std::string(first ? "[" : ",[") + scriptJson(subject) + ",[";
    first = false;
    for (size_t i = 0; i < violations.size(); ++i) {
      out += fmt::format("{}{{\"check\":{},\"text\":{},\"columns\":[", i ? "," : "",
                         scriptJson(violations[i]->check), scriptJson(violations[i]->valuesText()));
      for (size_t k = 0; k < violations[i]->values.size(); ++k)
        out += (k ? "," : "") + scriptJson(violations[i]->values[k].first);
      out += "]}";
    }
    out += "]]";
  }
  out += "]}";
  return out;
}

// A column's name as HTML that may break after each dot or underscore (`llr.<wbr>results`,
// `won_<wbr>last_<wbr>quarter`).
std::string wrappableName(const std::string& name) {
  std::string out;
  size_t start = 0;
  for (size_t at = name.find_first_of("._"); at != std::string::npos;
       at = name.find_first_of("._", start)) {
    out += markupEscaped(name.substr(start, at + 1 - start)) + "<wbr>";
    start = at + 1;
  }
  return out + markupEscaped(name.substr(start));
}

} // namespace

std::string subjectsTable(const ReportInput& input) {
  const runtime::ResultTable& table = input.table();
  std::string out = "<section id=\"subjects-section\" aria-labelledby=\"subjects-heading\">\n"
                    "<h2 id=\"subjects-heading\">Every subject</h2>\n";
  if (!input.shape.scores.empty()) {
    out += "<p class=\"legend\">Each score is drawn as a bar split into its weighted components:";
    for (const ScoreShape& score : input.shape.scores)
      for (size_t i = 0; i < score.components.size(); ++i)
        out += fmt::format(" <span class=\"swatch seg{}\"></span>{} ({}%)", i % 6,
                           markupEscaped(score.components[i].column),
                           svgNumber(score.components[i].weight * 100));
    out += ".</p>\n";
  }
  out += "<p class=\"controls no-print\"><label for=\"subject-filter\">Filter by " +
         markupEscaped(table.keyName) +
         "</label> <input id=\"subject-filter\" type=\"search\" autocomplete=\"off\"> "
         "<button type=\"button\" id=\"page-prev\">Previous</button> "
         "<span id=\"page-status\" aria-live=\"polite\"></span> "
         "<button type=\"button\" id=\"page-next\">Next</button></p>\n";
  out += "<div class=\"scroll\"><table id=\"subjects\">\n<thead><tr>";
  out += "<th scope=\"col\"><button type=\"button\" data-sort=\"0\">" +
         markupEscaped(table.keyName) + "</button></th>";
  // A long column name (`llr.results`) may wrap after its dots and underscores: the table then
  // fits the page.
  for (size_t c = 0; c < table.columns.size(); ++c)
    out +=
        fmt::format("<th scope=\"col\"><button type=\"button\" data-sort=\"{}\">{}</button></th>",
                    c + 1, wrappableName(table.columns[c].name));
  out += "</tr></thead>\n<tbody></tbody>\n</table></div>\n";
  out += "<noscript><p>The table needs JavaScript; the data is in the page as JSON "
         "(#fulcrum-results).</p></noscript>\n";
  out += "<script type=\"application/json\" id=\"fulcrum-results\">" + resultsJson(input) +
         "</script>\n";
  out +=
      "<script type=\"application/json\" id=\"fulcrum-shown\">" + shownJson(input) + "</script>\n";
  out += "<script type=\"application/json\" id=\"fulcrum-shape\">" + shapeJson(input) +
         "</script>\n</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
