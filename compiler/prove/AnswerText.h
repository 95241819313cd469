// Answers as text and back (internal to compiler/prove/): a question answered in a child process
// (DeadlineChild.h) hands its answer over as this text, JSON (nlohmann-json).
#pragma once

#include "compiler/prove/CounterexampleRows.h"
#include "compiler/prove/Prove.h"

#include <optional>
#include <string>

namespace fulcrum::prove {

// A rows search's answer: the rows, or none and why.
std::string rowsAsText(const std::optional<CounterexampleRows>& rows, const std::string& reason);
std::optional<CounterexampleRows> rowsFromText(const std::string& text, std::string& reason);

// A question's answer, every field of it.
std::string proofAsText(const CheckProof& proof);
CheckProof proofFromText(const std::string& text);

} // namespace fulcrum::prove
