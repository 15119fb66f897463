// Attention exports: JSON records, the self-contained HTML page, SVG files and the terminal view.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "crossmt/alignment.h"
#include "crossmt/error.h"

namespace crossmt {
namespace {

double round_to(float value, double scale) { return std::round(static_cast<double>(value) * scale) / scale; }

nlohmann::ordered_json matrix_json(const Matrix& matrix, double scale) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (int t = 0; t < matrix.rows; ++t) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    for (int s = 0; s < matrix.cols; ++s) row.push_back(round_to(matrix.at(t, s), scale));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

// Code points, a good enough estimate of a label's width in a monospace terminal.
size_t display_width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text)
    if ((c & 0xC0) != 0x80) ++width;
  return width;
}

std::string pad_left(const std::string& text, size_t width) {
  const size_t used = display_width(text);
  return used >= width ? text : std::string(width - used, ' ') + text;
}

std::string joined(const std::vector<std::string>& tokens) {
  std::string text;
  for (const auto& token : tokens) {
    if (!text.empty()) text += ' ';
    text += token;
  }
  return text;
}

// JSON safe inside <script>: no "</script>" or "<!--" can appear.
std::string script_json(const nlohmann::ordered_json& value) {
  const std::string dumped = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  for (char c : dumped) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

constexpr const char* kHtmlStyle = R"CSS(
:root { --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --hard: #e4572e; }
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 28px 40px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink); background: #f5f7fa; }
header { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; padding: 10px 0 12px; background: #f5f7fa; border-bottom: 1px solid var(--line); }
h1 { font-size: 18px; margin: 0; font-weight: 650; }
.controls { display: flex; flex-wrap: wrap; gap: 14px; align-items: center; color: var(--muted); }
.controls select { font: inherit; padding: 2px 4px; }
.scale { display: inline-flex; align-items: center; gap: 6px; }
.scale .bar { width: 120px; height: 10px; border: 1px solid var(--line); background: linear-gradient(to right, rgb(255,255,255), rgb(107,152,200) 25%, rgb(8,48,107)); }
.key { display: inline-block; width: 14px; height: 14px; outline: 2px solid var(--hard); outline-offset: -2px; vertical-align: -2px; background: rgb(8,48,107); }
section.sentence { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 18px 16px; margin: 16px 0; max-width: 100%; overflow-x: auto; }
section.sentence h2 { font-size: 13px; font-weight: 600; margin: 0 0 2px; color: var(--muted); }
.pair { margin: 0 0 10px; }
.pair div { white-space: pre-wrap; }
.pair .src::before { content: "source  "; color: var(--muted); font-size: 12px; }
.pair .tgt::before { content: "target  "; color: var(--muted); font-size: 12px; }
table.heatmap { border-collapse: separate; border-spacing: 2px; }
table.heatmap th { font-weight: 400; color: var(--ink); }
table.heatmap th.src { vertical-align: bottom; padding: 0 0 4px; height: 1px; }
table.heatmap th.src span { display: inline-block; writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; max-height: 160px; overflow: hidden; text-overflow: ellipsis; }
table.heatmap th.tgt { text-align: right; padding: 0 8px 0 0; white-space: nowrap; max-width: 220px; overflow: hidden; text-overflow: ellipsis; }
table.heatmap td.cell { width: 30px; min-width: 30px; height: 26px; border-radius: 3px; font-size: 10px; text-align: center; color: transparent; cursor: default; }
table.heatmap td.cell:hover { color: var(--ink); box-shadow: 0 0 0 2px #9fb3c8; }
table.heatmap td.cell.dark:hover { color: #fff; }
table.heatmap td.cell.hard { outline: 2px solid var(--hard); outline-offset: -2px; }
body.nohard table.heatmap td.cell.hard { outline: none; }
table.heatmap tr:hover th.tgt, table.heatmap th.on { color: var(--hard); font-weight: 600; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
)CSS";

constexpr const char* kHtmlScript = R"JS(
(function () {
  const layerSelect = document.getElementById('layer');
  const headSelect = document.getElementById('head');
  for (let l = 0; l < DATA.layers; ++l) layerSelect.add(new Option(String(l) + (l === DATA.layers - 1 ? ' (last)' : ''), l));
  headSelect.add(new Option('average', 'avg'));
  for (let h = 0; h < DATA.heads; ++h) headSelect.add(new Option('head ' + h, h));
  layerSelect.value = DATA.layer;
  headSelect.value = DATA.head;
  function matrixOf(sentence, layer, head) {
    const T = sentence.target.length, S = sentence.source.length;
    if (head !== 'avg') return sentence.weights[layer * DATA.heads + Number(head)];
    const sum = [];
    for (let t = 0; t < T; ++t) {
      const row = new Array(S).fill(0);
      for (let h = 0; h < DATA.heads; ++h) {
        const m = sentence.weights[layer * DATA.heads + h];
        for (let s = 0; s < S; ++s) row[s] += m[t][s] / DATA.heads;
      }
      sum.push(row);
    }
    return sum;
  }
  function shade(v) {
    const x = Math.sqrt(Math.max(0, Math.min(1, v)));  // square-root scale: weak links stay visible
    const r = Math.round(255 + (8 - 255) * x), g = Math.round(255 + (48 - 255) * x), b = Math.round(255 + (107 - 255) * x);
    return 'rgb(' + r + ',' + g + ',' + b + ')';
  }
  function render() {
    const layer = Number(layerSelect.value), head = headSelect.value;
    DATA.sentences.forEach(function (sentence, index) {
      const holder = document.getElementById('map-' + (index + 1));
      const m = matrixOf(sentence, layer, head);
      const table = document.createElement('table');
      table.className = 'heatmap';
      const top = table.insertRow();
      top.appendChild(document.createElement('th'));
      sentence.source.forEach(function (token, s) {
        const th = document.createElement('th');
        th.className = 'src';
        const span = document.createElement('span');
        span.textContent = token;
        th.title = 'source ' + s + ': ' + token;
        th.appendChild(span);
        top.appendChild(th);
      });
      sentence.target.forEach(function (token, t) {
        const tr = table.insertRow();
        const th = document.createElement('th');
        th.className = 'tgt';
        th.textContent = token;
        th.title = 'target ' + t + ': ' + token;
        tr.appendChild(th);
        let best = -1, bestWeight = 0;
        m[t].forEach(function (v, s) { if (v > bestWeight) { best = s; bestWeight = v; } });
        m[t].forEach(function (v, s) {
          const td = tr.insertCell();
          td.className = 'cell' + (s === best ? ' hard' : '') + (v > 0.3 ? ' dark' : '');
          td.style.background = shade(v);
          td.textContent = v.toFixed(2).replace(/^0/, '');
          td.title = token + ' \u2190 ' + sentence.source[s] + ': ' + v.toFixed(3);
          td.addEventListener('mouseenter', function () { top.cells[s + 1].classList.add('on'); });
          td.addEventListener('mouseleave', function () { top.cells[s + 1].classList.remove('on'); });
        });
      });
      holder.replaceChildren(table);
    });
  }
  layerSelect.addEventListener('change', render);
  headSelect.addEventListener('change', render);
  document.getElementById('showhard').addEventListener('change', function (e) {
    document.body.classList.toggle('nohard', !e.target.checked);
  });
  render();
})();
)JS";

}  // namespace

nlohmann::ordered_json attention_json(const SentenceAlignment& sentence, bool all) {
  nlohmann::ordered_json record = {{"source_tokens", sentence.source_tokens}, {"target_tokens", sentence.target_tokens}};
  if (all) {
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (int l = 0; l < sentence.layers; ++l) {
      nlohmann::ordered_json heads = nlohmann::ordered_json::array();
      for (int h = 0; h < sentence.heads; ++h) heads.push_back(matrix_json(sentence.per_head[l * sentence.heads + h], 1e6));
      layers.push_back(std::move(heads));
    }
    record["attention"] = std::move(layers);
  } else if (sentence.head_selection.mode == HeadMode::All) {
    record["layer"] = sentence.layer;
    record["heads"] = "all";
    nlohmann::ordered_json heads = nlohmann::ordered_json::array();
    for (int h = 0; h < sentence.heads; ++h)
      heads.push_back(matrix_json(sentence.per_head[sentence.layer * sentence.heads + h], 1e6));
    record["matrices"] = std::move(heads);
  } else {
    record["layer"] = sentence.layer;
    record["heads"] = describe(sentence.head_selection);
    record["matrix"] = matrix_json(sentence.selected, 1e6);
  }
  record["hard_alignment"] = pharaoh(sentence.hard);
  return record;
}

std::string attention_html(const std::vector<SentenceAlignment>& sentences, const std::string& title) {
  nlohmann::ordered_json data;
  const int layers = sentences.empty() ? 0 : sentences.front().layers;
  const int heads = sentences.empty() ? 0 : sentences.front().heads;
  data["layers"] = layers;
  data["heads"] = heads;
  data["layer"] = sentences.empty() ? 0 : sentences.front().layer;
  const HeadSelection selection = sentences.empty() ? HeadSelection{} : sentences.front().head_selection;
  data["head"] = selection.mode == HeadMode::Single ? nlohmann::ordered_json(std::to_string(selection.head)) : "avg";
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& sentence : sentences) {
    nlohmann::ordered_json weights = nlohmann::ordered_json::array();
    for (const auto& matrix : sentence.per_head) weights.push_back(matrix_json(matrix, 1e4));
    list.push_back({{"source", sentence.source_tokens}, {"target", sentence.target_tokens}, {"weights", std::move(weights)}});
  }
  data["sentences"] = std::move(list);

  std::ostringstream html;
  html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" << xml_escape(title)
       << "</title>\n<style>" << kHtmlStyle << "</style>\n</head>\n<body>\n<header>\n<h1>" << xml_escape(title)
       << "</h1>\n<div class=\"controls\">\n<label>Layer <select id=\"layer\"></select></label>\n"
       << "<label>Heads <select id=\"head\"></select></label>\n"
       << "<label><input type=\"checkbox\" id=\"showhard\" checked> hard alignment</label>\n"
       << "<span class=\"scale\">0 <span class=\"bar\"></span> 1</span>\n"
       << "<span><span class=\"key\"></span> argmax source per target</span>\n</div>\n</header>\n<main>\n";
  for (size_t i = 0; i < sentences.size(); ++i) {
    html << "<section class=\"sentence\" id=\"sentence-" << i + 1 << "\">\n<h2>Sentence " << i + 1 << "</h2>\n"
         << "<div class=\"pair\"><div class=\"src\">" << xml_escape(joined(sentences[i].source_tokens)) << "</div>"
         << "<div class=\"tgt\">" << xml_escape(joined(sentences[i].target_tokens)) << "</div></div>\n"
         << "<div class=\"map\" id=\"map-" << i + 1 << "\"></div>\n</section>\n";
  }
  html << "</main>\n<footer>Rows: target tokens; columns: source tokens. Cell shade = cross-attention weight "
          "(square-root scale; hover for the value). Made by crossmt.</footer>\n"
       << "<script>const DATA = " << script_json(data) << ";</script>\n<script>" << kHtmlScript << "</script>\n"
       << "</body>\n</html>\n";
  return html.str();
}

std::string attention_svg(const SentenceAlignment& sentence) {
  const int cell = 24, char_width = 8;
  size_t source_chars = 1, target_chars = 1;
  for (const auto& token : sentence.source_tokens) source_chars = std::max(source_chars, display_width(token));
  for (const auto& token : sentence.target_tokens) target_chars = std::max(target_chars, display_width(token));
  const int left = static_cast<int>(std::min<size_t>(target_chars, 30)) * char_width + 16;
  const int top = static_cast<int>(std::min<size_t>(source_chars, 30)) * char_width + 16;
  const Matrix& m = sentence.selected;
  const int width = left + m.cols * cell + 10, height = top + m.rows * cell + 10;
  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height << "\" viewBox=\"0 0 "
      << width << ' ' << height << "\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  for (int s = 0; s < m.cols; ++s) {
    const int x = left + s * cell + cell / 2 + 4, y = top - 6;
    svg << "<text transform=\"translate(" << x << ',' << y << ") rotate(-90)\">"
        << xml_escape(sentence.source_tokens[s]) << "</text>\n";
  }
  for (int t = 0; t < m.rows; ++t)
    svg << "<text x=\"" << left - 6 << "\" y=\"" << top + t * cell + cell / 2 + 4 << "\" text-anchor=\"end\">"
        << xml_escape(sentence.target_tokens[t]) << "</text>\n";
  std::vector<bool> hard(static_cast<size_t>(m.rows) * m.cols, false);
  for (const Link& link : sentence.hard) hard[static_cast<size_t>(link.target) * m.cols + link.source] = true;
  char fill[32], value[32];
  for (int t = 0; t < m.rows; ++t)
    for (int s = 0; s < m.cols; ++s) {
      const double v = std::clamp(static_cast<double>(m.at(t, s)), 0.0, 1.0);
      const double x = std::sqrt(v);  // the HTML page's square-root scale
      std::snprintf(fill, sizeof fill, "rgb(%d,%d,%d)", static_cast<int>(std::lround(255 + (8 - 255) * x)),
                    static_cast<int>(std::lround(255 + (48 - 255) * x)), static_cast<int>(std::lround(255 + (107 - 255) * x)));
      std::snprintf(value, sizeof value, "%.3f", v);
      svg << "<rect class=\"cell\" x=\"" << left + s * cell + 1 << "\" y=\"" << top + t * cell + 1 << "\" width=\""
          << cell - 2 << "\" height=\"" << cell - 2 << "\" rx=\"2\" fill=\"" << fill << '"';
      if (hard[static_cast<size_t>(t) * m.cols + s]) svg << " stroke=\"#e4572e\" stroke-width=\"2\"";
      svg << "><title>" << xml_escape(sentence.target_tokens[t]) << " \xE2\x86\x90 " << xml_escape(sentence.source_tokens[s])
          << ": " << value << "</title></rect>\n";
    }
  svg << "</svg>\n";
  return svg.str();
}

std::string terminal_heatmap(const SentenceAlignment& sentence, bool color) {
  static const char* const kShades[] = {" ", "\xE2\x96\x91", "\xE2\x96\x92", "\xE2\x96\x93", "\xE2\x96\x88"};
  const Matrix& m = sentence.selected;
  std::ostringstream out;
  out << "source:";
  for (int s = 0; s < m.cols; ++s) out << "  " << s << ' ' << sentence.source_tokens[s];
  out << '\n';
  size_t label_width = 6;
  for (const auto& token : sentence.target_tokens) label_width = std::min<size_t>(std::max(label_width, display_width(token)), 24);
  out << std::string(label_width + 1, ' ');
  for (int s = 0; s < m.cols; ++s) out << pad_left(std::to_string(s), 3);
  out << '\n';
  for (int t = 0; t < m.rows; ++t) {
    std::string label = sentence.target_tokens[t];
    out << pad_left(label, label_width) << ' ';
    int best = -1;
    float best_weight = 0.f;
    for (int s = 0; s < m.cols; ++s) {
      const double v = std::clamp(static_cast<double>(m.at(t, s)), 0.0, 1.0);
      if (m.at(t, s) > best_weight) {
        best = s;
        best_weight = m.at(t, s);
      }
      const int level = v < 0.05 ? 0 : v < 0.25 ? 1 : v < 0.5 ? 2 : v < 0.75 ? 3 : 4;
      const std::string shade = std::string(kShades[level]) + kShades[level];
      if (color) out << "\x1b[48;5;" << 232 + static_cast<int>(std::lround(v * 23)) << 'm' << ' ' << shade << "\x1b[0m";
      else out << ' ' << shade;
    }
    if (best >= 0) {
      char weight[16];
      std::snprintf(weight, sizeof weight, "%.2f", static_cast<double>(best_weight));
      out << "  -> " << best << ' ' << sentence.source_tokens[best] << " (" << weight << ')';
    }
    out << '\n';
  }
  return out.str();
}

void write_attention_exports(const AttentionExports& exports, const std::vector<SentenceAlignment>& sentences) {
  if (!exports.json_file.empty()) {
    std::ofstream out(exports.json_file);
    if (!out) throw Error("cannot write --attention-json file '" + exports.json_file + "'");
    for (size_t i = 0; i < sentences.size(); ++i) {
      nlohmann::ordered_json record = {{"sentence", i + 1}};
      record.update(attention_json(sentences[i], exports.all));
      out << record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
    }
    if (!out.flush()) throw Error("writing --attention-json file '" + exports.json_file + "' failed");
  }
  if (!exports.html_file.empty()) {
    std::ofstream out(exports.html_file);
    if (!out) throw Error("cannot write --attention-html file '" + exports.html_file + "'");
    out << attention_html(sentences, "crossmt attention");
    if (!out.flush()) throw Error("writing --attention-html file '" + exports.html_file + "' failed");
  }
  if (!exports.svg_dir.empty()) {
    std::error_code error;
    std::filesystem::create_directories(exports.svg_dir, error);
    for (size_t i = 0; i < sentences.size(); ++i) {
      char name[48];
      std::snprintf(name, sizeof name, "sentence-%04zu.svg", i + 1);
      const auto path = std::filesystem::path(exports.svg_dir) / name;
      std::ofstream out(path);
      if (!out) throw Error("cannot write --attention-svg file '" + path.string() + "'");
      out << attention_svg(sentences[i]);
    }
  }
}

}  // namespace crossmt
