// The OKR cascade as a tree: the company, its teams, each team's members, every node with its
// objectives' scores and grades (coloured by grade), each team collapsible; a table behind. The
// figures are the levels' runs (ReportInput::cascade): the reported framework's own result and
// those of the frameworks its run read, or a level run beside it when the run read none of it.
// A team draws its first kMembersShown members (in the member level's order) and says how many
// more it has: 6,000 reps under 60 managers stay a page under 5 MB; the members' own framework's
// subjects table lists every one.
#include "cli/report/Html.h"
#include "cli/report/ReportInput.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace fulcrum::cli::report {

namespace {

constexpr size_t kMembersShown = 12;

// One node: its key, then per objective its score and grade, as the level's run gives them.
std::string node(const CascadeLevelShape& level, const runtime::ResultTable& table, size_t s,
                 std::string& rows, const std::string& team) {
  const std::string& key = table.keys[s];
  std::string out = fmt::format("<span class=\"cascade-key\">{}</span>", markupEscaped(key));
  for (const ObjectiveShape& objective : level.objectives) {
    const auto score = columnOf(table, objective.name + ".score");
    const auto grade = columnOf(table, objective.name + ".grade");
    const std::string scoreCsv = score ? table.raw(*score, s) : "";
    const std::string gradeCsv = grade ? table.raw(*grade, s) : "";
    const std::string scoreShown = score ? runtime::humanValue(table, *score, s) : "-";
    const std::string gradeShown = grade ? runtime::humanValue(table, *grade, s) : "-";
    out += fmt::format(
        " <span class=\"cascade-objective {}\" data-objective=\"{}\" data-score=\"{}\" "
        "data-grade=\"{}\" title=\"{}\">{} {} {}</span>",
        gradeCsv.empty() ? "no-grade" : bandColourClass(gradeCsv, 5), markupEscaped(objective.name),
        markupEscaped(scoreCsv), markupEscaped(gradeCsv),
        markupEscaped(objective.title.empty() ? objective.name : objective.title),
        markupEscaped(objective.name), markupEscaped(scoreShown), markupEscaped(gradeShown));
    rows += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                        "</tr>\n",
                        markupEscaped(level.level), markupEscaped(key), markupEscaped(team),
                        markupEscaped(objective.name), markupEscaped(scoreShown),
                        markupEscaped(gradeShown));
  }
  return out;
}

std::string nodeAttributes(const CascadeLevelShape& level, const std::string& key) {
  return fmt::format("data-level=\"{}\" data-framework=\"{}\" data-subject=\"{}\"",
                     markupEscaped(level.level), markupEscaped(level.framework),
                     markupEscaped(key));
}

// The members in no team, named (the first few), and where they are listed: this page's subjects
// table when the page is their level's, else their level's own report.
std::string teamlessNote(const ReportInput& input, const std::vector<CascadeLevelShape>& levels,
                         const std::vector<std::string>& teamless) {
  constexpr size_t kNamed = 5;
  std::string names;
  for (size_t i = 0; i < std::min(teamless.size(), kNamed); ++i)
    names += fmt::format("{}<code>{}</code>", i == 0 ? "" : ", ", markupEscaped(teamless[i]));
  if (teamless.size() > kNamed)
    names += fmt::format(" and {} more", teamless.size() - kNamed);
  const bool one = teamless.size() == 1;
  const std::string& framework = levels[2].framework;
  const std::string where =
      input.shape.framework == framework
          ? fmt::format("this page's subjects table lists {}", one ? "it" : "them")
          : fmt::format("<code>fulcrum report --framework {}</code> lists {} in its subjects table",
                        markupEscaped(framework), one ? "it" : "them");
  return fmt::format("<p>{} {}{} ({}) {} in no {} (the group's field is missing) and so not in "
                     "the tree; {}.</p>\n",
                     teamless.size(), markupEscaped(levels[2].level), one ? "" : "s", names,
                     one ? "is" : "are", markupEscaped(levels[1].level), where);
}

} // namespace

std::string cascade(const ReportInput& input) {
  if (!input.shape.cascade || !input.cascade || input.cascade->levels.size() != 3 ||
      input.shape.cascade->levels.size() != 3)
    return "";
  const std::vector<CascadeLevelShape>& levels = input.shape.cascade->levels;
  const runtime::ResultTable& companies = input.cascade->levels[0]->table;
  const runtime::ResultTable& teams = input.cascade->levels[1]->table;
  const runtime::ResultTable& members = input.cascade->levels[2]->table;
  // Each team's members in the member level's order (its rank, else its key).
  const std::map<std::string, size_t> teamRow = rowsByKey(teams);
  std::map<std::string, std::string> teamOf(input.cascade->members.begin(),
                                            input.cascade->members.end());
  std::vector<std::vector<size_t>> membersOf(teams.subjects());
  std::vector<std::string> teamless;
  for (size_t s : runtime::subjectOrder(members)) {
    const auto team = teamOf.find(members.keys[s]);
    const auto row = team == teamOf.end() ? teamRow.end() : teamRow.find(team->second);
    if (row == teamRow.end())
      teamless.push_back(members.keys[s]);
    else
      membersOf[row->second].push_back(s);
  }
  std::string out = fmt::format(
      "<section aria-labelledby=\"cascade-heading\">\n<h2 id=\"cascade-heading\">The OKR cascade: "
      "{} &rarr; {} &rarr; {}</h2>\n<p>Each node's objectives with their score and grade "
      "(<code>{}</code>, <code>{}</code>, <code>{}</code>, from this run); open or close a {} to "
      "see its {}s.</p>\n<ul data-chart=\"cascade\" class=\"cascade\">\n",
      markupEscaped(levels[0].level), markupEscaped(levels[1].level),
      markupEscaped(levels[2].level), markupEscaped(levels[0].framework),
      markupEscaped(levels[1].framework), markupEscaped(levels[2].framework),
      markupEscaped(levels[1].level), markupEscaped(levels[2].level));
  std::string rows;
  for (size_t c = 0; c < companies.subjects(); ++c) {
    out += "<li " + nodeAttributes(levels[0], companies.keys[c]) + "><div class=\"cascade-node\">" +
           node(levels[0], companies, c, rows, "") + "</div>\n<ul>\n";
    for (size_t t : runtime::subjectOrder(teams)) {
      out += "<li " + nodeAttributes(levels[1], teams.keys[t]) +
             "><details open><summary class=\"cascade-node\">" +
             node(levels[1], teams, t, rows, teams.keys[t]) +
             fmt::format(" <span class=\"cascade-count\">{} {}{}</span></summary>\n<ul>\n",
                         membersOf[t].size(), markupEscaped(levels[2].level),
                         membersOf[t].size() == 1 ? "" : "s");
      const size_t shown = std::min(membersOf[t].size(), kMembersShown);
      for (size_t i = 0; i < shown; ++i) {
        const size_t m = membersOf[t][i];
        out += "<li " + nodeAttributes(levels[2], members.keys[m]) +
               "><div class=\"cascade-node\">" + node(levels[2], members, m, rows, teams.keys[t]) +
               "</div></li>\n";
      }
      if (const size_t more = membersOf[t].size() - shown; more > 0) {
        const std::string moreText = fmt::format(
            "and {} more {}{}: the subjects table of <code>{}</code> (<code>fulcrum report "
            "--framework {}</code>) lists every one",
            more, markupEscaped(levels[2].level), more == 1 ? "" : "s",
            markupEscaped(levels[2].framework), markupEscaped(levels[2].framework));
        out += fmt::format("<li class=\"cascade-more\" data-more=\"{}\" data-team=\"{}\">{}</li>\n",
                           more, markupEscaped(teams.keys[t]), moreText);
        rows += fmt::format("<tr><td>{}</td><td colspan=\"5\">{} ({})</td></tr>\n",
                            markupEscaped(levels[2].level), moreText, markupEscaped(teams.keys[t]));
      }
      out += "</ul></details></li>\n";
    }
    out += "</ul></li>\n";
  }
  out += "</ul>\n";
  if (!teamless.empty())
    out += teamlessNote(input, levels, teamless);
  out +=
      chartDataTable({"level", "subject", levels[1].level, "objective", "score", "grade"}, rows) +
      "</section>\n";
  return out;
}

} // namespace fulcrum::cli::report
