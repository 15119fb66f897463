// The web page at / (a text box, language pickers, the translation) and POST /v1/attention,
// which translates and renders the attention page of `crossmt translate --attention-html` for
// the result (every decoder layer and head), shown in the page. GET /?text=...&from=..&to=..
// answers with the result already in the page (no script needed to see it).
#include "crossmt/alignment.h"
#include "queued_translation.h"
#include "request_fields.h"
#include "server_context.h"

namespace crossmt::server {
namespace {

constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>crossmt</title>
<style>
* { box-sizing: border-box; }
body { margin: 0; padding: 20px 28px; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2933; background: #f5f7fa; }
h1 { font-size: 20px; margin: 0 0 14px; }
.bar { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin-bottom: 10px; }
select, button, input { font: inherit; padding: 4px 8px; }
button { background: #2f6fb0; color: #fff; border: 0; border-radius: 5px; padding: 6px 18px; cursor: pointer; }
.panes { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
textarea, #output { width: 100%; min-height: 130px; padding: 10px; border: 1px solid #d9e2ec; border-radius: 8px; background: #fff; font: inherit; white-space: pre-wrap; }
#links { color: #616e7c; font-size: 13px; margin: 8px 0; white-space: pre-wrap; }
#status { color: #616e7c; }
#status.error { color: #c0392b; }
iframe { width: 100%; height: 560px; border: 1px solid #d9e2ec; border-radius: 8px; background: #fff; margin-top: 6px; }
</style>
</head>
<body>
<h1>crossmt</h1>
<div class="bar">
<label>From <select id="source"></select></label>
<label>To <select id="target"></select></label>
<label id="keybox" hidden>API key <input id="key" size="16"></label>
<button id="go">Translate</button>
<span id="status"></span>
</div>
<div class="panes">
<textarea id="text" placeholder="Text to translate, one sentence per line">{{TEXT}}</textarea>
<div id="output" aria-live="polite">{{OUTPUT}}</div>
</div>
<div id="links">{{LINKS}}</div>
<iframe id="attention" title="attention heatmap" sandbox="allow-scripts" srcdoc="{{ATTENTION}}"></iframe>
<script>
(function () {
  const source = document.getElementById('source'), target = document.getElementById('target');
  const status = document.getElementById('status');
  let languages = [];
  function fillTargets() {
    const entry = languages.find(function (l) { return l.code === source.value; });
    const keep = target.value;
    target.replaceChildren();
    (entry ? entry.targets : []).forEach(function (code) {
      const known = languages.find(function (l) { return l.code === code; });
      target.add(new Option(known ? known.name : code, code));
    });
    if (keep) target.value = keep;
    if (!target.value && target.options.length) target.selectedIndex = 0;
  }
  function show(message, isError) { status.textContent = message; status.className = isError ? 'error' : ''; }
  async function translate() {
    show('translating\u2026', false);
    const body = { text: document.getElementById('text').value, from: source.value, to: target.value };
    const key = document.getElementById('key').value;
    if (key) body.api_key = key;
    try {
      const answer = await fetch('v1/attention', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      const result = await answer.json();
      if (!answer.ok) { show(result.error || ('HTTP ' + answer.status), true); return; }
      document.getElementById('output').textContent = result.translations.join('\n');
      document.getElementById('links').textContent = 'alignment (source-target words): ' + result.alignments.join('  |  ');
      document.getElementById('attention').srcdoc = result.html;
      show('', false);
    } catch (failure) { show(String(failure), true); }
  }
  fetch('languages').then(function (r) { return r.json(); }).then(function (list) {
    languages = list;
    list.forEach(function (l) { source.add(new Option(l.name, l.code)); });
    const query = new URLSearchParams(location.search);
    const wanted = query.get('from') || 'en', wantedTarget = query.get('to') || 'de';
    if (list.some(function (l) { return l.code === wanted; })) source.value = wanted;
    fillTargets();
    if ([].some.call(target.options, function (o) { return o.value === wantedTarget; })) target.value = wantedTarget;
    if (query.has('key')) document.getElementById('keybox').hidden = false;
  });
  source.addEventListener('change', fillTargets);
  document.getElementById('go').addEventListener('click', translate);
})();
</script>
</body>
</html>
)HTML";

std::string escape_html(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

void replace_marker(std::string& page, const std::string& marker, const std::string& value) {
  page.replace(page.find(marker), marker.size(), value);
}

std::string links_text(const nlohmann::ordered_json& alignments) {
  std::string text = "alignment (source-target words): ";
  for (size_t i = 0; i < alignments.size(); ++i) {
    if (i) text += "  |  ";
    text += alignments[i].get<std::string>();
  }
  return text;
}

nlohmann::ordered_json attention(ServerContext& context, const httplib::Request& request) {
  const nlohmann::json fields = request_fields(request);
  context.admit_request(fields, request);
  const std::string text = string_field(fields, "text");
  if (context.options.char_limit > 0 && count_characters(text) > context.options.char_limit)
    throw HttpError(400, "Invalid request: request (" + std::to_string(count_characters(text)) +
                             ") exceeds text limit (" + std::to_string(context.options.char_limit) + ")");
  const std::string source = normalize_language_code(string_field(fields, "from"));
  const std::string target = normalize_language_code(string_field(fields, "to"));
  ServedModel* model = context.registry.find(source, target);
  if (!model) throw HttpError(400, "no loaded model translates '" + source + "' to '" + target + "'");
  std::vector<std::string> lines;
  for (size_t begin = 0; begin <= text.size();) {
    const size_t end = std::min(text.find('\n', begin), text.size());
    std::string line = text.substr(begin, end - begin);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(std::move(line));
    begin = end + 1;
  }
  if (lines.empty()) throw HttpError(400, "Invalid request: missing text parameter");
  const auto results = translate_queued(*model, lines, target, default_search(*model));

  // Every layer and head through the Translator's own alignment call (its workers run it).
  const Translator& translator = *model->translator;
  std::vector<std::vector<int>> sources, targets;
  for (const auto& result : results) {
    sources.push_back(result.hypotheses.empty() ? std::vector<int>{} : result.source_ids);
    targets.push_back(result.hypotheses.empty() ? std::vector<int>{} : result.hypotheses[0].ids);
  }
  const int layers = model->info.decoder_layers, heads = model->info.attention_heads;
  std::vector<SentenceAlignment> sentences(results.size());
  for (auto& sentence : sentences) {
    sentence.layers = layers;
    sentence.heads = heads;
    sentence.layer = layers - 1;
    sentence.per_head.resize(static_cast<size_t>(layers) * heads);
  }
  for (int layer = 0; layer < layers; ++layer)
    for (int head = 0; head < heads; ++head) {
      const auto aligned = translator.align_ids(sources, targets, {AlignmentUnit::Word, layer, std::to_string(head)});
      for (size_t i = 0; i < aligned.size(); ++i) {
        Matrix& matrix = sentences[i].per_head[static_cast<size_t>(layer) * heads + head];
        matrix.rows = static_cast<int>(aligned[i].target_tokens.size());
        matrix.cols = static_cast<int>(aligned[i].source_tokens.size());
        matrix.values = aligned[i].attention;
        sentences[i].source_tokens = aligned[i].source_tokens;
        sentences[i].target_tokens = aligned[i].target_tokens;
      }
    }
  const auto selected = translator.align_ids(sources, targets, {});
  nlohmann::ordered_json translations = nlohmann::ordered_json::array(), alignments = nlohmann::ordered_json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    translations.push_back(results[i].texts.empty() ? "" : results[i].texts[0]);
    alignments.push_back(selected[i].pharaoh);
  }
  return {{"translations", std::move(translations)},
          {"alignments", std::move(alignments)},
          {"html", attention_html(sentences, "Attention, " + model->name + ", " + source + " \u2192 " + target)}};
}

}  // namespace

void add_web_page_routes(httplib::Server& http, ServerContext& context) {
  http.Get("/", [&context](const httplib::Request& request, httplib::Response& response) {
    std::string page = kPage;
    std::string text = "A man is riding a bike.", output, links, attention_page;
    if (request.has_param("text")) {
      text = request.get_param_value("text");
      // Errors show in the output box; the page itself is still served.
      answer_json(context, response, [&] {
        const auto result = attention(context, request);
        for (size_t i = 0; i < result["translations"].size(); ++i) {
          if (i) output += '\n';
          output += result["translations"][i].get<std::string>();
        }
        links = links_text(result["alignments"]);
        attention_page = result["html"];
        return nlohmann::ordered_json();
      });
      if (response.status != 200) output = nlohmann::json::parse(response.body).value("error", "");
    }
    replace_marker(page, "{{TEXT}}", escape_html(text));
    replace_marker(page, "{{OUTPUT}}", escape_html(output));
    replace_marker(page, "{{LINKS}}", escape_html(links));
    replace_marker(page, "{{ATTENTION}}", escape_html(attention_page));
    response.set_content(page, "text/html; charset=utf-8");
  });
  http.Post("/v1/attention", [&context](const httplib::Request& request, httplib::Response& response) {
    answer_json(context, response, [&] { return attention(context, request); });
  });
}

}  // namespace crossmt::server
