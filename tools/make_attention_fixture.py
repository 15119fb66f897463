#!/usr/bin/env python3
"""Packs the attention records of ../shared/refs/m30k-mul-marian (first 16 rows of test_2016_flickr
en-de and de-en) into tests/data/m30k_attention.safetensors: float32 binary instead of 2.3 MB of
JSON. Ids are stored as F32 (exact below 2^24). Tensor names: "<direction>/<k>/<field>".
Usage: tools/make_attention_fixture.py [refs_dir] [output]"""
import json, struct, sys

refs = sys.argv[1] if len(sys.argv) > 1 else "../shared/refs/m30k-mul-marian"
output = sys.argv[2] if len(sys.argv) > 2 else "tests/data/m30k_attention.safetensors"

def flatten(value):
    if isinstance(value, list):
        shape, items = None, []
        for item in value:
            item_shape, item_values = flatten(item)
            shape = shape or item_shape
            items.extend(item_values)
        return [len(value)] + (shape or []), items
    return [], [float(value)]

tensors = {}
for direction in ("en-de", "de-en"):
    data = json.load(open(f"{refs}/test_2016_flickr.{direction}.json"))
    for k, record in enumerate(data["attention"]):
        row = data["rows"][record["row"]]
        fields = {
            "src_ids": row["src_ids"],
            "beam4_ids": row["beam4_ids"],
            "decoder_input_ids": record["decoder_input_ids"],
            "target_logprobs": record["target_logprobs"],
            "cross_attentions": record["cross_attentions"],
            "step0_top10_ids": [pair[0] for pair in record["step0_top10"]],
            "step0_top10_logprobs": [pair[1] for pair in record["step0_top10"]],
        }
        if "encoder_last_hidden_state" in record:
            fields["encoder_last_hidden_state"] = record["encoder_last_hidden_state"]
        for name, value in fields.items():
            tensors[f"{direction}/{k}/{name}"] = flatten(value)

header, blobs, offset = {}, [], 0
for name, (shape, values) in tensors.items():
    blob = struct.pack(f"<{len(values)}f", *values)
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
    blobs.append(blob)
    offset += len(blob)
header_bytes = json.dumps(header, separators=(",", ":")).encode()
header_bytes += b" " * (-len(header_bytes) % 8)
with open(output, "wb") as out:
    out.write(struct.pack("<Q", len(header_bytes)))
    out.write(header_bytes)
    for blob in blobs:
        out.write(blob)
print(f"{output}: {len(tensors)} tensors, {8 + len(header_bytes) + offset} bytes")
