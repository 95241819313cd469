// The RFC 4180 reader: quoted fields, doubled quotes, embedded line breaks, and recovery.
#include "runtime/data/CsvReader.h"

#include "runtime/data/ShownText.h"

#include <cstdint>
#include <fmt/format.h>

namespace fulcrum::runtime {
namespace {

bool isLineBreak(char c) {
  return c == '\n' || c == '\r';
}

bool isContinuationByte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

} // namespace

CsvReader::CsvReader(std::string_view text) : text_(text) {
  if (text_.starts_with("\xEF\xBB\xBF"))
    cur_.pos = cur_.counted = 3;
}

CsvReader::CsvReader(std::string_view text, size_t start, uint32_t line, size_t headerFields)
    : text_(text), records_(1), headerFields_(headerFields) {
  seek(start, line);
}

void CsvReader::seek(size_t pos, uint32_t line) {
  cur_.pos = cur_.counted = pos;
  cur_.line = line;
  cur_.column = 1;
}

uint32_t CsvReader::columnAt(size_t pos) {
  for (; cur_.counted < pos; ++cur_.counted)
    if (!isContinuationByte(text_[cur_.counted]))
      ++cur_.column;
  return cur_.column;
}

void CsvReader::newLine(size_t nextLineStart) {
  ++cur_.line;
  cur_.counted = nextLineStart;
  cur_.column = 1;
}

size_t CsvReader::skipLineEnd(size_t pos) const {
  if (text_[pos] == '\r' && pos + 1 < text_.size() && text_[pos + 1] == '\n')
    return pos + 2;
  return pos + 1;
}

// Reads a quoted field starting at the opening quote (cur_.pos). On return `start`/`length`
// locate the unescaped text in the input or (inBuffer) in record.buffer.
void CsvReader::readQuoted(CsvRecord& record, const CsvField& field, size_t& start, size_t& length,
                           bool& inBuffer) {
  const Cursor opened = cur_;
  const size_t n = text_.size();
  size_t pos = cur_.pos + 1;
  const size_t contentStart = pos;
  const size_t bufferStart = record.buffer.size();
  size_t segment = pos; // start of the input not yet copied to the buffer (escaped mode)
  inBuffer = false;
  for (;;) {
    while (pos < n && text_[pos] != '"' && !isLineBreak(text_[pos]))
      ++pos;
    if (pos >= n) {
      // Unterminated: end the field at the end of the line it opened on and resume after it.
      ranOutInQuotes_ = true;
      record.buffer.resize(bufferStart);
      cur_ = opened;
      size_t lineEnd = contentStart;
      while (lineEnd < n && !isLineBreak(text_[lineEnd]))
        ++lineEnd;
      record.errors.push_back(
          {field.line, field.column,
           fmt::format("unterminated quoted field: the quote before `{}` is never closed (a "
                       "quote inside a field is written twice, \"\")",
                       shown(text_.substr(contentStart, lineEnd - contentStart)))});
      start = contentStart;
      length = lineEnd - contentStart;
      inBuffer = false;
      cur_.pos = lineEnd;
      return;
    }
    const char c = text_[pos];
    if (isLineBreak(c)) {
      pos = skipLineEnd(pos);
      newLine(pos);
      continue;
    }
    if (pos + 1 < n && text_[pos + 1] == '"') { // a doubled quote: one literal quote
      record.buffer.append(text_.substr(segment, pos + 1 - segment));
      inBuffer = true;
      pos += 2;
      segment = pos;
      continue;
    }
    break; // the closing quote
  }
  if (inBuffer) {
    record.buffer.append(text_.substr(segment, pos - segment));
    start = bufferStart;
    length = record.buffer.size() - bufferStart;
  } else {
    start = contentStart;
    length = pos - contentStart;
  }
  ++pos; // past the closing quote
  if (pos < n && text_[pos] != delimiter_ && !isLineBreak(text_[pos])) {
    const size_t after = pos;
    while (pos < n && text_[pos] != delimiter_ && !isLineBreak(text_[pos]))
      ++pos;
    record.errors.push_back({cur_.line, columnAt(after),
                             fmt::format("unexpected `{}` after the closing quote of a field; a "
                                         "quote inside a quoted field is written twice (\"\")",
                                         shown(text_.substr(after, pos - after)))});
  }
  cur_.pos = pos;
}

bool CsvReader::next(CsvRecord& record) {
  const size_t n = text_.size();
  ranOutInQuotes_ = false;
  while (cur_.pos < n && isLineBreak(text_[cur_.pos])) { // blank lines
    cur_.pos = skipLineEnd(cur_.pos);
    newLine(cur_.pos);
  }
  if (cur_.pos >= n)
    return false;

  record.fields.clear();
  record.errors.clear();
  record.buffer.clear();
  record.line = cur_.line;
  record.index = records_++;
  const size_t recordStart = cur_.pos;

  // Spans are kept apart from the fields until the record is done: the buffer may grow.
  std::vector<Span>& spans = spans_;
  spans.clear();
  // A data record with more fields than the header is an error that names only the first extra
  // field, so fields past it are counted, not kept: a line of 50 million commas costs nothing.
  const size_t keep = record.index == 0 ? SIZE_MAX : headerFields_ + 1;
  size_t fieldCount = 0;

  for (;;) {
    CsvField field;
    field.line = cur_.line;
    field.column = columnAt(cur_.pos);
    Span span{cur_.pos, 0, false};
    if (cur_.pos < n && text_[cur_.pos] == '"') {
      field.quoted = true;
      readQuoted(record, field, span.start, span.length, span.inBuffer);
    } else {
      size_t pos = cur_.pos;
      while (pos < n && text_[pos] != delimiter_ && !isLineBreak(text_[pos]))
        ++pos;
      span.length = pos - cur_.pos;
      cur_.pos = pos;
    }
    if (++fieldCount <= keep) {
      record.fields.push_back(field);
      spans.push_back(span);
    }
    if (cur_.pos < n && text_[cur_.pos] == delimiter_) {
      ++cur_.pos;
      continue;
    }
    break;
  }

  const size_t recordEnd = cur_.pos;
  const uint32_t endLine = cur_.line;
  const uint32_t endColumn = columnAt(recordEnd);
  if (cur_.pos < n) {
    cur_.pos = skipLineEnd(cur_.pos);
    newLine(cur_.pos);
  }
  record.raw = text_.substr(recordStart, recordEnd - recordStart);
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    record.fields[i].text = s.inBuffer ? std::string_view(record.buffer).substr(s.start, s.length)
                                       : text_.substr(s.start, s.length);
  }

  if (record.index == 0) {
    headerFields_ = record.fields.size();
  } else if (fieldCount != headerFields_ && record.errors.empty()) {
    const bool tooMany = fieldCount > headerFields_;
    const CsvField* extra = tooMany ? &record.fields[headerFields_] : nullptr;
    // A last record without its line break that falls short was most likely cut off.
    const bool cutShort = !tooMany && recordEnd == n;
    record.errors.push_back(
        {tooMany ? extra->line : endLine, tooMany ? extra->column : endColumn,
         fmt::format("expected {} fields as in the header, found {}: `{}`{}", headerFields_,
                     fieldCount, shown(record.raw),
                     cutShort ? " (the file ends inside this record, without a line break: was "
                                "it cut short?)"
                              : "")});
  }
  return true;
}

} // namespace fulcrum::runtime
