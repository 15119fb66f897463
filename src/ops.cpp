#include "crossmt/ops.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include <dnnl.hpp>
#include <omp.h>

#include "crossmt/error.h"
#include "crossmt/quantization.h"
#include "int8_rows.h"
#include "vector_math.h"

namespace crossmt::ops {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

std::atomic<int64_t> primitive_counter{0};

// The engine is shared; a stream is not (oneDNN streams are not meant for concurrent use), so
// each thread that runs primitives has its own.
struct CpuContext {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
};

CpuContext& cpu() {
  static CpuContext context;
  return context;
}

dnnl::stream& stream_of_this_thread() {
  thread_local dnnl::stream stream{cpu().engine};
  return stream;
}

// Identifies a Linear for per-thread caches; never reused, unlike an address.
std::atomic<uint64_t> linear_counter{0};

dnnl::algorithm eltwise_algorithm(Activation activation) {
  switch (activation) {
    case Activation::Relu: return dnnl::algorithm::eltwise_relu;
    case Activation::Swish: return dnnl::algorithm::eltwise_swish;
    case Activation::GeluErf: return dnnl::algorithm::eltwise_gelu_erf;
    case Activation::GeluTanh: return dnnl::algorithm::eltwise_gelu_tanh;
    case Activation::None: break;
  }
  return dnnl::algorithm::undef;
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::Relu;
  if (name == "swish" || name == "silu") return Activation::Swish;
  if (name == "gelu") return Activation::GeluErf;
  if (name == "gelu_new" || name == "gelu_fast" || name == "gelu_pytorch_tanh") return Activation::GeluTanh;
  throw Error("unsupported activation function '" + name + "'");
}

int64_t primitives_created() { return primitive_counter.load(); }

void set_num_threads(int threads) {
  if (threads > 0) omp_set_num_threads(threads);
}

// int8 scratch shared by every Linear the thread calls (one layer runs at a time), grown to the
// largest call seen, then reused.
struct Int8Scratch {
  std::vector<int8_t> quantized_source;
  std::vector<float> row_scales;
  std::vector<float> product;

  static Int8Scratch& of_this_thread() {
    thread_local Int8Scratch scratch;
    return scratch;
  }
  template <class T>
  static T* at_least(std::vector<T>& buffer, int64_t count) {
    if (buffer.size() < static_cast<size_t>(count)) buffer.resize(static_cast<size_t>(count));
    return buffer.data();
  }
};

// Memory objects of one Linear for one row count, created on first use and rebound with
// set_data_handle. They are per thread: the same Linear runs in several threads at once.
struct RowBinding {
  memory src;
  memory dst;
  memory scratchpad;  // empty when the primitive needs none
};

// Per-thread state of every Linear the thread runs. Keyed by (Linear id, rows): an integer hash
// lookup per call, no allocation once the shapes are warm.
struct ThreadBindings {
  std::unordered_map<uint64_t, RowBinding> bindings;
  std::vector<uint8_t> scratchpad;  // grown to the largest primitive scratchpad, shared by all

  static ThreadBindings& of_this_thread() {
    thread_local ThreadBindings state;
    return state;
  }
};

struct Linear::Impl {
  dnnl::matmul primitive;
  memory weights;
  memory bias;
  bool has_bias = false;
  bool gelu_tanh_after = false;
  const uint64_t id = ++linear_counter;
  size_t scratchpad_bytes = 0;

  // int8: the bias, activation and residual run in finish_int8_product, after the row scaling.
  bool int8 = false;
  Options options;
  Tensor bias_values;

  RowBinding& binding_for(int64_t rows, dt source_type, int64_t in, int64_t out) const {
    ThreadBindings& state = ThreadBindings::of_this_thread();
    const uint64_t key = (id << 24) | static_cast<uint64_t>(rows);
    auto found = state.bindings.find(key);
    if (found == state.bindings.end()) {
      auto& engine = cpu().engine;
      RowBinding binding{memory({{rows, in}, source_type, tag::ab}, engine, nullptr),
                         memory({{rows, out}, dt::f32, tag::ab}, engine, nullptr), memory()};
      if (scratchpad_bytes > 0) {
        if (state.scratchpad.size() < scratchpad_bytes) state.scratchpad.resize(scratchpad_bytes);
        binding.scratchpad = memory(scratchpad_desc, engine, nullptr);
      }
      found = state.bindings.emplace(key, std::move(binding)).first;
    }
    if (scratchpad_bytes > 0) found->second.scratchpad.set_data_handle(state.scratchpad.data());
    return found->second;
  }

  // Through oneDNN's C API with the arguments on the stack: the C++ execute() takes an
  // std::unordered_map, which would allocate on every call.
  void execute(const RowBinding& binding, dnnl::stream& stream) const {
    dnnl_exec_arg_t arguments[5];
    int count = 0;
    arguments[count++] = {DNNL_ARG_SRC, binding.src.get()};
    arguments[count++] = {DNNL_ARG_WEIGHTS, weights.get()};
    arguments[count++] = {DNNL_ARG_DST, binding.dst.get()};
    if (has_bias && !int8) arguments[count++] = {DNNL_ARG_BIAS, bias.get()};
    if (scratchpad_bytes > 0) arguments[count++] = {DNNL_ARG_SCRATCHPAD, binding.scratchpad.get()};
    dnnl::error::wrap_c_api(dnnl_primitive_execute(primitive.get(), stream.get(), count, arguments),
                            "could not execute a matmul");
    stream.wait();
  }

  // Library-managed scratchpads may not move between threads (oneDNN built without
  // DNNL_ENABLE_CONCURRENT_EXEC); user-managed ones are thread-safe, one buffer per thread.
  memory::desc scratchpad_desc;
  void keep_scratchpad_desc(const dnnl::matmul::primitive_desc& primitive_desc) {
    scratchpad_desc = primitive_desc.scratchpad_desc();
    scratchpad_bytes = scratchpad_desc.get_size();
  }

  // Reorders PyTorch's [out, in] matrix (which is [K, N] in "ba" order) into the primitive's layout.
  void take_weights(const dnnl::matmul::primitive_desc& primitive_desc, dt type, int64_t in, int64_t out,
                    const void* weight_out_in) {
    auto& engine = cpu().engine;
    auto& stream = stream_of_this_thread();
    memory plain({{in, out}, type, tag::ba}, engine, const_cast<void*>(weight_out_in));
    weights = memory(primitive_desc.weights_desc(), engine);
    dnnl::reorder(plain, weights).execute(stream, plain, weights);
    ++primitive_counter;
    stream.wait();
  }
};

// y + act(x W + b) is not a layer any supported model has, and oneDNN would apply the
// activation after the sum: refused rather than computed differently by the two paths.
void check_options(const Linear::Options& options) {
  if (options.accumulate && options.activation != Activation::None)
    throw Error("a linear layer cannot both apply an activation and add into its output");
}

Linear::Linear(const Tensor& weight_out_in, const Tensor* bias, Options options)
    : impl_(std::make_unique<Impl>()),
      in_features_(weight_out_in.dim(1)),
      out_features_(weight_out_in.dim(0)) {
  check_options(options);
  auto& context = cpu();
  const memory::dim K = in_features_, N = out_features_;
  const memory::dim M = DNNL_RUNTIME_DIM_VAL;
  memory::desc src_md({M, K}, dt::f32, tag::ab);
  memory::desc weights_any_md({K, N}, dt::f32, tag::any);
  memory::desc bias_md({1, N}, dt::f32, tag::ab);
  memory::desc dst_md({M, N}, dt::f32, tag::ab);

  dnnl::post_ops post_ops;
  if (options.accumulate) post_ops.append_sum(1.f);
  impl_->gelu_tanh_after = options.activation == Activation::GeluTanh;
  if (options.activation != Activation::None && !impl_->gelu_tanh_after) {
    // alpha is swish's beta (x * sigmoid(alpha x)) but relu's negative slope.
    const float alpha = options.activation == Activation::Swish ? 1.f : 0.f;
    post_ops.append_eltwise(1.f, eltwise_algorithm(options.activation), alpha, 0.f);
  }
  dnnl::primitive_attr attributes;
  attributes.set_post_ops(post_ops);
  attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);

  impl_->has_bias = bias != nullptr;
  auto descriptor = impl_->has_bias ? dnnl::matmul::desc(src_md, weights_any_md, bias_md, dst_md)
                                    : dnnl::matmul::desc(src_md, weights_any_md, dst_md);
  dnnl::matmul::primitive_desc primitive_desc(descriptor, attributes, context.engine);
  impl_->primitive = dnnl::matmul(primitive_desc);
  impl_->keep_scratchpad_desc(primitive_desc);
  ++primitive_counter;

  impl_->take_weights(primitive_desc, dt::f32, K, N, weight_out_in.data());
  if (impl_->has_bias) {
    impl_->bias = memory(bias_md, context.engine);
    std::memcpy(impl_->bias.get_data_handle(), bias->data(), sizeof(float) * N);
  }
}

Linear::Linear(const QuantizedMatrix& weight_out_in, const Tensor* bias, Options options)
    : impl_(std::make_unique<Impl>()), in_features_(weight_out_in.cols), out_features_(weight_out_in.rows) {
  check_options(options);
  auto& context = cpu();
  const memory::dim K = in_features_, N = out_features_;
  const memory::dim M = DNNL_RUNTIME_DIM_VAL;
  memory::desc src_md({M, K}, dt::s8, tag::ab);
  memory::desc weights_any_md({K, N}, dt::s8, tag::any);
  memory::desc dst_md({M, N}, dt::f32, tag::ab);
  dnnl::primitive_attr attributes;
  attributes.set_output_scales(1 << 1, weight_out_in.scales);  // per output column, fixed
  attributes.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::matmul::primitive_desc primitive_desc(dnnl::matmul::desc(src_md, weights_any_md, dst_md), attributes,
                                              context.engine);
  impl_->primitive = dnnl::matmul(primitive_desc);
  impl_->keep_scratchpad_desc(primitive_desc);
  ++primitive_counter;
  impl_->take_weights(primitive_desc, dt::s8, K, N, weight_out_in.values.data());
  impl_->int8 = true;
  impl_->options = options;
  if (bias) {
    impl_->has_bias = true;
    impl_->bias_values = Tensor({N});
    std::memcpy(impl_->bias_values.data(), bias->data(), sizeof(float) * N);
  }
}

bool Linear::is_int8() const { return impl_ && impl_->int8; }

Linear::Linear() = default;
Linear::Linear(Linear&&) noexcept = default;
Linear& Linear::operator=(Linear&&) noexcept = default;
Linear::~Linear() = default;

void Linear::operator()(const float* src, int64_t rows, float* dst) const {
  if (rows == 0) return;
  auto& stream = stream_of_this_thread();
  Impl& impl = *impl_;
  if (impl.int8) {
    Int8Scratch& scratch = Int8Scratch::of_this_thread();
    int8_t* quantized_source = Int8Scratch::at_least(scratch.quantized_source, rows * in_features_);
    float* row_scales = Int8Scratch::at_least(scratch.row_scales, rows);
    quantize_source_rows(src, rows, in_features_, quantized_source, row_scales);
    // The residual sum needs dst's old values, so the product goes elsewhere first.
    float* product = impl.options.accumulate ? Int8Scratch::at_least(scratch.product, rows * out_features_) : dst;
    RowBinding& binding = impl.binding_for(rows, dt::s8, in_features_, out_features_);
    binding.src.set_data_handle(quantized_source);
    binding.dst.set_data_handle(product);
    impl.execute(binding, stream);
    finish_int8_product(product, rows, out_features_, row_scales,
                        impl.has_bias ? impl.bias_values.data() : nullptr, impl.options.activation,
                        impl.options.accumulate, dst);
    return;
  }
  RowBinding& binding = impl.binding_for(rows, dt::f32, in_features_, out_features_);
  binding.src.set_data_handle(const_cast<float*>(src));
  binding.dst.set_data_handle(dst);
  impl.execute(binding, stream);
  if (impl.gelu_tanh_after) gelu_tanh_in_place(dst, rows * out_features_);
}

// Plain C++ rather than oneDNN's layer norm: a oneDNN primitive is fixed to one row count, so
// every source length made a new one (creation time, and JIT code kept for each).
struct LayerNorm::Impl {
  Kind kind = Kind::Standard;
  Tensor gamma, beta;
  float epsilon = 1e-5f;

  // LayerNorm: mean and variance in two passes, in f32, as transformers' kernels compute them.
  void standard(const float* src, float* dst, int64_t rows) const {
    const int64_t width = gamma.size();
    const float* g = gamma.data();
    const float* b = beta.data();
#pragma omp parallel for if (rows * width >= (1 << 16)) schedule(static)
    for (int64_t row = 0; row < rows; ++row) {
      const float* in = src + row * width;
      float* out = dst + row * width;
      float sum = 0.f;
#pragma omp simd reduction(+ : sum)
      for (int64_t i = 0; i < width; ++i) sum += in[i];
      const float mean = sum / static_cast<float>(width);
      float squares = 0.f;
#pragma omp simd reduction(+ : squares)
      for (int64_t i = 0; i < width; ++i) squares += (in[i] - mean) * (in[i] - mean);
      const float inverse_std = 1.f / std::sqrt(squares / static_cast<float>(width) + epsilon);
#pragma omp simd
      for (int64_t i = 0; i < width; ++i) out[i] = (in[i] - mean) * inverse_std * g[i] + b[i];
    }
  }

  void root_mean_square(const float* src, float* dst, int64_t rows) const {
    const int64_t width = gamma.size();
    for (int64_t row = 0; row < rows; ++row) {
      const float* in = src + row * width;
      float* out = dst + row * width;
      float sum_of_squares = 0.f;  // f32, as transformers' T5LayerNorm computes it
      for (int64_t i = 0; i < width; ++i) sum_of_squares += in[i] * in[i];
      const float inverse_rms = 1.f / std::sqrt(sum_of_squares / static_cast<float>(width) + epsilon);
      for (int64_t i = 0; i < width; ++i) out[i] = gamma[i] * (in[i] * inverse_rms);
    }
  }
};

LayerNorm::LayerNorm(Tensor gamma, Tensor beta, float epsilon) : impl_(std::make_unique<Impl>()) {
  impl_->gamma = std::move(gamma);
  impl_->beta = std::move(beta);
  impl_->epsilon = epsilon;
}

LayerNorm::LayerNorm(Tensor gamma, float epsilon) : impl_(std::make_unique<Impl>()) {
  impl_->kind = Kind::RootMeanSquare;
  impl_->gamma = std::move(gamma);
  impl_->epsilon = epsilon;
}

LayerNorm::LayerNorm() = default;
LayerNorm::LayerNorm(LayerNorm&&) noexcept = default;
LayerNorm& LayerNorm::operator=(LayerNorm&&) noexcept = default;
LayerNorm::~LayerNorm() = default;

void LayerNorm::operator()(const float* src, float* dst, int64_t rows) const {
  if (rows == 0) return;
  if (impl_->kind == Kind::RootMeanSquare) {
    impl_->root_mean_square(src, dst, rows);
  } else {
    impl_->standard(src, dst, rows);
  }
}

void multiply_in_place(float* a, const float* b, int64_t count) {
  for (int64_t i = 0; i < count; ++i) a[i] *= b[i];
}

void log_softmax_rows(float* data, int64_t rows, int64_t width) {
  // `omp simd` lets the compiler split the max into vector lanes (it may not reorder a plain
  // float reduction); the sum of exponentials runs in AVX2 lanes.
  for (int64_t row = 0; row < rows; ++row) {
    float* values = data + row * width;
    float max_value = -INFINITY;
#pragma omp simd reduction(max : max_value)
    for (int64_t i = 0; i < width; ++i) max_value = std::max(max_value, values[i]);
    if (!std::isfinite(max_value)) continue;  // all -inf (or NaN): nothing to normalize
    const float log_sum = std::log(sum_of_exp(values, width, max_value));
#pragma omp simd
    for (int64_t i = 0; i < width; ++i) values[i] = values[i] - max_value - log_sum;
  }
}

}  // namespace crossmt::ops
