// Package pretrain is lesson 07: the three pretraining objectives that made
// GPT and BERT, on the Transformer of lesson 06 (lessons/transformer).
//
//   - Causal language modelling (GPT): predict every next character of
//     Shakespeare with transformer.DecoderOnly, in nanoGPT's CPU
//     configuration (NanoGPTConfig, TrainGPT), then write new text with a
//     host-side sampling loop, temperature and top-k (Generate, Sample).
//   - Masked language modelling (BERT): hide 15% of the tokens of Korean
//     movie reviews, tokenized with lesson 02's WordPiece (LoadCorpus), 80%
//     behind [MASK], 10% behind a random token, 10% unchanged (Mask), and
//     predict them with an encoder (Encode, TrainBERT); then fill blanks in
//     sentences (FillMasks, HeldOutExamples).
//   - Next-sentence prediction (BERT): is the second part of a pair the true
//     continuation of the first, or the end of another document, a review or
//     a page of lesson 01's Korean Debian FAQ (NextSentencePair, Pack)?
//     Trained together with the masked LM, as BERT was; the evaluation
//     separates random pairs from the other corpus (easy: the topic differs)
//     from those of the same corpus (hard), which is why later models dropped
//     NSP.
//
// Both models are saved (GPT.Save, BERT.Save) for the fine-tuning lesson.
//
//	g, _ := pretrain.TrainGPT(backend, shakespeare, pretrain.NanoGPTConfig())
//	text, _ := g.Generate(backend, "ROMEO:", 200, 0.8, 10, 1)
//
// Where a training step's time goes (NanoGPTConfig on XLA's CPU plugin,
// 2-core AMD EPYC; BenchmarkGPTTrainStep times it, bench/pytorch_gpt.py
// times the same model in PyTorch). The step is about 4 GFLOP, almost all
// of it in matrix products: XLA (the 0.81 plugin) compiles it into 788
// fused kernels and 99 products (33 forward, 66 backward), 24 of them the
// attention's batched [64,32]·[32,64] ones; the 149 reductions (layer
// norms, softmax, the bias gradients, the gradient norm) each become two
// kernels on CPU, and Adam updates the 69 variables one by one.
//
//   - Memory: the step needs a 41 MiB scratch buffer, which XLA's runtime
//     mallocs anew at every execution. glibc served it with fresh pages
//     each time, ~11,000 page faults a step, a quarter of the CPU time in
//     the kernel (perf). mlx keeps it on one heap (mlx/malloc_linux.go):
//     ~250 faults a step, 16 -> 19-20 steps/s.
//   - Removing pieces, one at a time, from the measured step (50 ms):
//     AdamW -> plain SGD saves 2.5 ms; the attention core (scores,
//     softmax, weighted sum, and the query and key projections that only
//     it uses) 16 ms; the layer norms, or GELU -> ReLU, nothing measurable;
//     one fused query-key-value projection instead of three saves 3%.
//   - So the step is bound by the matrix products. With the PJRT CPU
//     plugin setup installed before (PJRT C API 0.81), XLA handed them to
//     Eigen: mlx's BenchmarkMatMul gave 89-173 GFLOP/s at the GPT's
//     shapes, where bench/pytorch_matmul.py gives 153-199 and
//     bench/jax_matmul.py (the same graph through the XLA inside jaxlib
//     0.10.2, which sends them to YNNPACK) 153-207, on the same 2 cores.
//     Setup now installs a newer plugin (0.106) and mlx turns on its
//     YNNPACK products (mlx/xlaflags.go): the products alone 113-190
//     GFLOP/s, but the whole step only ~6% faster (19.6 -> 20.8 steps/s,
//     the means of 7 interleaved runs that each vary by ±10%). PyTorch
//     does 25-29 steps/s here. Where the rest of the gap lies is not
//     pinned down: removing the layer norms or GELU (above) does not show,
//     and perf cannot name the JIT-compiled kernels.
//   - XLA flags tried on the 0.81 plugin, no gain (within run-to-run
//     noise, ±10-20% on this VM): --xla_cpu_prefer_vector_width=512,
//     --xla_cpu_multi_thread_eigen=false, --xla_cpu_use_thunk_runtime=false,
//     --xla_cpu_enable_concurrency_optimized_scheduler, --xla_cpu_use_onednn,
//     and --xla_cpu_experimental_{onednn,xnn,ynn}_fusion_type=dot (that
//     plugin keeps its products in Eigen whatever they say). Slower:
//     --xla_cpu_use_xnnpack (-30%), --xla_cpu_use_fusion_emitters=false
//     (-28%), --xla_cpu_enable_fast_math (-20%). The data path
//     (mlx.Windows, 768 int32s a step) does not show up.
//
// Deliberately left out: subword tokenization for the GPT (characters, as
// nanoGPT's shakespeare_char), whole-word masking, BERT's static
// pre-computed masks (masks are drawn anew for every batch, as RoBERTa does),
// BERT's tied output layer and its Dense-GELU-LayerNorm transform (see
// bertHeads), mixed precision, and key/value caches for generation.
package pretrain
