#include "crossmt/ops.h"

#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>

#include <dnnl.hpp>
#include <omp.h>

#include "crossmt/error.h"
#include "vector_math.h"

namespace crossmt::ops {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

std::atomic<int64_t> primitive_counter{0};

struct CpuContext {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

CpuContext& cpu() {
  static CpuContext context;
  return context;
}

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

// Memory objects for one row count, created on first use and rebound with set_data_handle.
struct RowBinding {
  memory src;
  memory dst;
};

// transformers' NewGELUActivation in f32. oneDNN's gelu_tanh post-op approximates tanh more
// loosely (1e-4 apart after a few T5 layers), so this one runs after the matmul instead.
void gelu_tanh_in_place(float* data, int64_t count) {
  const float sqrt_2_over_pi = static_cast<float>(std::sqrt(2.0 / M_PI));
  for (int64_t i = 0; i < count; ++i) {
    const float x = data[i];
    data[i] = 0.5f * x * (1.0f + std::tanh(sqrt_2_over_pi * (x + 0.044715f * (x * x * x))));
  }
}

struct Linear::Impl {
  dnnl::matmul primitive;
  memory weights;
  memory bias;
  bool has_bias = false;
  bool gelu_tanh_after = false;
  mutable std::unordered_map<int64_t, RowBinding> bindings;
};

Linear::Linear(const Tensor& weight_out_in, const Tensor* bias, Options options)
    : impl_(std::make_unique<Impl>()),
      in_features_(weight_out_in.dim(1)),
      out_features_(weight_out_in.dim(0)) {
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

  impl_->has_bias = bias != nullptr;
  auto descriptor = impl_->has_bias ? dnnl::matmul::desc(src_md, weights_any_md, bias_md, dst_md)
                                    : dnnl::matmul::desc(src_md, weights_any_md, dst_md);
  dnnl::matmul::primitive_desc primitive_desc(descriptor, attributes, context.engine);
  impl_->primitive = dnnl::matmul(primitive_desc);
  ++primitive_counter;

  // PyTorch stores [out, in] row-major, which is [K, N] in "ba" order.
  memory::desc weights_plain_md({K, N}, dt::f32, tag::ba);
  memory plain(weights_plain_md, context.engine, const_cast<float*>(weight_out_in.data()));
  impl_->weights = memory(primitive_desc.weights_desc(), context.engine);
  dnnl::reorder(plain, impl_->weights).execute(context.stream, plain, impl_->weights);
  ++primitive_counter;
  if (impl_->has_bias) {
    impl_->bias = memory(bias_md, context.engine);
    std::memcpy(impl_->bias.get_data_handle(), bias->data(), sizeof(float) * N);
  }
  context.stream.wait();
}

Linear::Linear() = default;
Linear::Linear(Linear&&) noexcept = default;
Linear& Linear::operator=(Linear&&) noexcept = default;
Linear::~Linear() = default;

void Linear::operator()(const float* src, int64_t rows, float* dst) const {
  if (rows == 0) return;
  auto& context = cpu();
  auto found = impl_->bindings.find(rows);
  if (found == impl_->bindings.end()) {
    RowBinding binding{memory({{rows, in_features_}, dt::f32, tag::ab}, context.engine, nullptr),
                       memory({{rows, out_features_}, dt::f32, tag::ab}, context.engine, nullptr)};
    found = impl_->bindings.emplace(rows, std::move(binding)).first;
  }
  RowBinding& binding = found->second;
  binding.src.set_data_handle(const_cast<float*>(src));
  binding.dst.set_data_handle(dst);
  if (impl_->has_bias) {
    impl_->primitive.execute(context.stream, {{DNNL_ARG_SRC, binding.src},
                                              {DNNL_ARG_WEIGHTS, impl_->weights},
                                              {DNNL_ARG_BIAS, impl_->bias},
                                              {DNNL_ARG_DST, binding.dst}});
  } else {
    impl_->primitive.execute(context.stream, {{DNNL_ARG_SRC, binding.src},
                                              {DNNL_ARG_WEIGHTS, impl_->weights},
                                              {DNNL_ARG_DST, binding.dst}});
  }
  context.stream.wait();
  if (impl_->gelu_tanh_after) gelu_tanh_in_place(dst, rows * out_features_);
}

struct LayerNorm::Impl {
  Kind kind = Kind::Standard;
  Tensor gamma, beta;
  float epsilon = 1e-5f;
  struct ShapeEntry {
    dnnl::layer_normalization_forward primitive;
    memory src;
    memory dst;
    memory gamma;
    memory beta;
  };
  mutable std::unordered_map<int64_t, ShapeEntry> by_rows;

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
    return;
  }
  auto& context = cpu();
  const int64_t width = impl_->gamma.size();
  auto found = impl_->by_rows.find(rows);
  if (found == impl_->by_rows.end()) {
    memory::desc data_md({rows, width}, dt::f32, tag::ab);
    memory::desc channel_md({width}, dt::f32, tag::a);
    dnnl::layer_normalization_forward::desc descriptor(
        dnnl::prop_kind::forward_inference, data_md, impl_->epsilon,
        dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift);
    dnnl::layer_normalization_forward::primitive_desc primitive_desc(descriptor, context.engine);
    Impl::ShapeEntry entry{dnnl::layer_normalization_forward(primitive_desc),
                           memory(data_md, context.engine, nullptr),
                           memory(data_md, context.engine, nullptr),
                           memory(channel_md, context.engine, impl_->gamma.data()),
                           memory(channel_md, context.engine, impl_->beta.data())};
    ++primitive_counter;
    found = impl_->by_rows.emplace(rows, std::move(entry)).first;
  }
  auto& entry = found->second;
  entry.src.set_data_handle(const_cast<float*>(src));
  entry.dst.set_data_handle(dst);
  entry.primitive.execute(context.stream, {{DNNL_ARG_SRC, entry.src},
                                           {DNNL_ARG_DST, entry.dst},
                                           {DNNL_ARG_SCALE, entry.gamma},
                                           {DNNL_ARG_SHIFT, entry.beta}});
  context.stream.wait();
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
