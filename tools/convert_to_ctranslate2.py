#!/usr/bin/env python3
"""Converts a Hugging Face MarianMT folder into a CTranslate2 model folder, for comparisons
between crossmt and CTranslate2 (tools/compare_ctranslate2.sh).

Input:  config.json, model.safetensors, vocab.json, source.spm, target.spm (generation_config.json
        is read for the decoder start token when present).
Output: model.bin, config.json, shared_vocabulary.json (CTranslate2's format), plus copies of
        source.spm and target.spm so that users can tokenize (CTranslate2 itself ignores them).

The weights are mapped as CTranslate2 4.8.1's own converter does it
(python/ctranslate2/converters/transformers.py, MarianMTLoader derived from BartLoader):
post-norm TransformerSpec without layernorm_embedding, fused QKV for self-attention, Q and fused
KV for encoder attention, scale_embeddings = sqrt(d_model) when scale_embedding, the sinusoidal
position table of transformers' MarianSinusoidalPositionalEmbedding stored explicitly (CT2's
built-in sinusoid has another layout and starts at position 1), final_logits_bias as the
projection bias only when it is not all zeros, a shared vocabulary ordered by id and cut to
vocab_size, eos/unk tokens, add_source_bos/eos False (the tokenizer writes </s> itself).

One deliberate difference (unless --ct2-zero-start): CT2's MarianMTLoader drops the trailing
<pad> token and its weight rows, and starts the decoder from a zero embedding
(start_from_zero_embedding). That equals transformers only when the pad row is zero, as in
OPUS-MT models converted from Marian. Here <pad> is kept and the decoder starts from
decoder_start_token_id (<pad>) with its embedding row as trained, as transformers does. Pass
`--suppress_sequences "<pad>"` to ct2-translator to mirror generation_config's bad_words_ids.

Needs numpy and a CTranslate2 source tree (only its pure-Python `ctranslate2.specs` package is
used; the compiled extension is not needed): --ct2-python /path/to/CTranslate2/python.
Nothing of CTranslate2 is part of crossmt. transformers and torch are not needed: the
safetensors file is read directly (8-byte little-endian header size, JSON header, raw data).

Usage (any python3 with numpy, e.g. Debian's /usr/bin/python3 with python3-numpy):
       tools/convert_to_ctranslate2.py --ct2-python /tmp/ct2src/python \
         [--quantization float32|int8|int16|float16] [--force] INPUT_DIR OUTPUT_DIR
"""
import argparse
import json
import math
import os
import shutil
import struct
import sys

import numpy as np

_DTYPES = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4"}


def read_safetensors(path):
    """Returns {name: float32 numpy array} for every tensor of a safetensors file."""
    with open(path, "rb") as f:
        (header_size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_size).decode("utf-8"))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[begin:end]
        if info["dtype"] == "BF16":
            bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
            array = bits.view(np.float32)
        elif info["dtype"] in _DTYPES:
            array = np.frombuffer(raw, dtype=_DTYPES[info["dtype"]])
        else:
            raise ValueError("%s: unsupported safetensors dtype %s" % (name, info["dtype"]))
        tensors[name] = np.ascontiguousarray(array.reshape(info["shape"]).astype(np.float32))
    return tensors


def marian_sinusoidal_positions(n_pos, dim):
    """transformers' MarianSinusoidalPositionalEmbedding.create_weight: computed in float64,
    sin of the even columns in [0, ceil(dim/2)), cos of the odd columns after, then float32."""
    position_enc = np.array(
        [[pos / np.power(10000, 2 * (j // 2) / dim) for j in range(dim)] for pos in range(n_pos)]
    )
    out = np.empty((n_pos, dim), dtype=np.float32)
    sentinel = dim // 2 if dim % 2 == 0 else (dim // 2) + 1
    out[:, 0:sentinel] = np.sin(position_enc[:, 0::2]).astype(np.float32)
    out[:, sentinel:] = np.cos(position_enc[:, 1::2]).astype(np.float32)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input_dir", help="Hugging Face MarianMT folder")
    parser.add_argument("output_dir", help="CTranslate2 model folder to write")
    parser.add_argument("--ct2-python", required=True,
                        help="the python/ folder of a CTranslate2 source tree (e.g. /tmp/ct2src/python)")
    parser.add_argument("--quantization", default="float32",
                        choices=["float32", "int8", "int16", "float16"],
                        help="weight type stored in model.bin (default float32)")
    parser.add_argument("--ct2-zero-start", action="store_true",
                        help="do exactly what CT2's MarianMTLoader does: drop the trailing <pad> "
                             "and start the decoder from a zero embedding")
    parser.add_argument("--force", action="store_true", help="replace OUTPUT_DIR if it exists")
    args = parser.parse_args()

    sys.path.insert(0, os.path.abspath(args.ct2_python))
    from ctranslate2.converters import utils
    from ctranslate2.specs import common_spec, transformer_spec

    activations = {
        "gelu": common_spec.Activation.GELU,
        "gelu_fast": common_spec.Activation.GELUTanh,
        "gelu_new": common_spec.Activation.GELUTanh,
        "gelu_python": common_spec.Activation.GELU,
        "gelu_pytorch_tanh": common_spec.Activation.GELUTanh,
        "quick_gelu": common_spec.Activation.GELUSigmoid,
        "relu": common_spec.Activation.RELU,
        "silu": common_spec.Activation.SWISH,
        "swish": common_spec.Activation.SWISH,
    }

    src = args.input_dir
    with open(os.path.join(src, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    generation = {}
    if os.path.exists(os.path.join(src, "generation_config.json")):
        with open(os.path.join(src, "generation_config.json"), encoding="utf-8") as f:
            generation = json.load(f)
    if config.get("model_type") != "marian":
        raise SystemExit("expected a Marian model (config.json model_type 'marian'), got %r"
                         % config.get("model_type"))
    if not config.get("share_encoder_decoder_embeddings", True):
        raise SystemExit("separate source and target vocabularies are not supported "
                         "(CT2's converter does not support them either)")
    if config["encoder_attention_heads"] != config["decoder_attention_heads"]:
        raise SystemExit("CT2's TransformerSpec.from_config needs equal encoder and decoder heads")
    if config.get("normalize_before", False):
        raise SystemExit("pre-norm Marian models are not handled (CT2 forces normalize_before=False)")

    weights = read_safetensors(os.path.join(src, "model.safetensors"))

    def get(*names):
        for name in names:
            if name in weights:
                return weights[name]
        raise KeyError("none of %s in model.safetensors" % ", ".join(names))

    d_model = config["d_model"]
    shared = get("model.shared.weight", "model.encoder.embed_tokens.weight")
    encoder_embeddings = get("model.encoder.embed_tokens.weight", "model.shared.weight")
    decoder_embeddings = get("model.decoder.embed_tokens.weight", "model.shared.weight")
    lm_head = weights.get("lm_head.weight", decoder_embeddings if config.get("tie_word_embeddings", True)
                          else None)
    if lm_head is None:
        raise KeyError("lm_head.weight missing and tie_word_embeddings is false")
    del shared

    # BartLoader.get_model_spec with MarianMTLoader's normalize_before/normalize_embedding = False.
    spec = transformer_spec.TransformerSpec.from_config(
        (config["encoder_layers"], config["decoder_layers"]),
        config["encoder_attention_heads"],
        pre_norm=False,
        activation=activations[config["activation_function"]],
        layernorm_embedding=False,
    )

    def set_linear(linear_spec, prefix):
        linear_spec.weight = get(prefix + ".weight")
        if prefix + ".bias" in weights:
            linear_spec.bias = weights[prefix + ".bias"]

    def set_layer_norm(norm_spec, prefix):
        norm_spec.gamma = get(prefix + ".weight")
        norm_spec.beta = get(prefix + ".bias")

    def set_attention(attention_spec, prefix, self_attention):
        split = [common_spec.LinearSpec() for _ in range(3)]
        set_linear(split[0], prefix + ".q_proj")
        set_linear(split[1], prefix + ".k_proj")
        set_linear(split[2], prefix + ".v_proj")
        if self_attention:
            utils.fuse_linear(attention_spec.linear[0], split)
        else:
            utils.fuse_linear(attention_spec.linear[0], split[:1])
            utils.fuse_linear(attention_spec.linear[1], split[1:])
        set_linear(attention_spec.linear[-1], prefix + ".out_proj")

    embed_scale = math.sqrt(d_model) if config.get("scale_embedding", False) else 1.0
    positions = marian_sinusoidal_positions(config["max_position_embeddings"], d_model)

    def set_common_layers(stack_spec, embeddings):
        stack_spec.scale_embeddings = embed_scale
        stack_spec.position_encodings.encodings = positions  # MarianSinusoidalPositionalEmbedding has no offset
        (stack_spec.embeddings[0] if isinstance(stack_spec.embeddings, list)
         else stack_spec.embeddings).weight = embeddings

    set_common_layers(spec.encoder, encoder_embeddings)
    for i, layer_spec in enumerate(spec.encoder.layer):
        p = "model.encoder.layers.%d." % i
        set_attention(layer_spec.self_attention, p + "self_attn", self_attention=True)
        set_layer_norm(layer_spec.self_attention.layer_norm, p + "self_attn_layer_norm")
        set_linear(layer_spec.ffn.linear_0, p + "fc1")
        set_linear(layer_spec.ffn.linear_1, p + "fc2")
        set_layer_norm(layer_spec.ffn.layer_norm, p + "final_layer_norm")

    spec.decoder.start_from_zero_embedding = bool(args.ct2_zero_start)
    set_common_layers(spec.decoder, decoder_embeddings)
    for i, layer_spec in enumerate(spec.decoder.layer):
        p = "model.decoder.layers.%d." % i
        set_attention(layer_spec.self_attention, p + "self_attn", self_attention=True)
        set_layer_norm(layer_spec.self_attention.layer_norm, p + "self_attn_layer_norm")
        set_attention(layer_spec.attention, p + "encoder_attn", self_attention=False)
        set_layer_norm(layer_spec.attention.layer_norm, p + "encoder_attn_layer_norm")
        set_linear(layer_spec.ffn.linear_0, p + "fc1")
        set_linear(layer_spec.ffn.linear_1, p + "fc2")
        set_layer_norm(layer_spec.ffn.layer_norm, p + "final_layer_norm")

    spec.decoder.projection.weight = lm_head
    final_logits_bias = weights.get("final_logits_bias")
    if final_logits_bias is not None and np.count_nonzero(final_logits_bias) != 0:
        spec.decoder.projection.bias = final_logits_bias.reshape(-1)

    # Vocabulary: vocab.json ordered by id (MarianTokenizer.get_vocab), cut to vocab_size.
    with open(os.path.join(src, "vocab.json"), encoding="utf-8") as f:
        vocab = json.load(f)
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    if [vocab[t] for t in tokens] != list(range(len(tokens))):
        raise SystemExit("vocab.json ids are not 0..n-1")
    if config["vocab_size"] < len(tokens):
        tokens = tokens[: config["vocab_size"]]
    if len(tokens) != encoder_embeddings.shape[0]:
        raise SystemExit("vocabulary has %d tokens but the embeddings %d rows"
                         % (len(tokens), encoder_embeddings.shape[0]))

    def token_of(key, default=None):
        value = generation.get(key, config.get(key, default))
        return tokens[value] if value is not None else None

    eos_token = token_of("eos_token_id")
    pad_token = token_of("pad_token_id")
    unk_token = "<unk>" if "<unk>" in vocab else None

    if args.ct2_zero_start:
        # MarianMTLoader.get_vocabulary and _remove_pad_weights.
        if tokens[-1] == "<pad>":
            tokens.pop()
            new_size = len(tokens)
            for vocab_spec in (spec.encoder.embeddings[0], spec.decoder.embeddings, spec.decoder.projection):
                if vocab_spec.weight.shape[0] == new_size + 1:
                    vocab_spec.weight = vocab_spec.weight[:-1]
                if (isinstance(vocab_spec, common_spec.LinearSpec) and vocab_spec.has_bias()
                        and vocab_spec.bias.shape[0] == new_size + 1):
                    vocab_spec.bias = vocab_spec.bias[:-1]
        decoder_start_token = eos_token  # "can be any token": the first embedding is zeroed
    else:
        decoder_start_token = token_of("decoder_start_token_id", config.get("pad_token_id"))

    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)

    # MarianMTLoader.set_config: eos, unk and decoder start; bos stays CT2's default "<s>"
    # (Marian has none); add_source_bos/eos stay False; layer_norm_epsilon stays None (1e-5).
    spec.config.eos_token = eos_token
    if unk_token is not None:
        spec.config.unk_token = unk_token
    spec.config.decoder_start_token = decoder_start_token
    del pad_token

    for name in ("source.spm", "target.spm"):
        if os.path.exists(os.path.join(src, name)):
            spec.register_file(os.path.join(src, name))

    # Converter.convert
    if os.path.exists(args.output_dir) and not args.force:
        raise SystemExit("output directory %s already exists, use --force to override" % args.output_dir)
    spec.validate()
    spec.optimize(quantization=args.quantization)
    if os.path.exists(args.output_dir):
        shutil.rmtree(args.output_dir)
    os.makedirs(args.output_dir)
    spec.save(args.output_dir)
    print("wrote %s (%s, %d tokens, decoder start %s%s)" % (
        args.output_dir, args.quantization, len(tokens), decoder_start_token,
        ", zero start embedding" if args.ct2_zero_start else ""))


if __name__ == "__main__":
    main()
