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
// times the same model in PyTorch). XLA compiles the step into 788 fused
// kernels and 99 matrix products (33 forward, 66 backward; Eigen does
// them); the 149 reductions (layer norms, softmax, the bias gradients, the
// gradient norm) each become two kernels on CPU, and Adam updates the 69
// variables one by one. The step needs a 41 MiB scratch buffer, which
// XLA's runtime mallocs anew at every execution: glibc served it with mmap
// and unmapped it on free, so each step faulted in and zeroed ~10,700 fresh
// pages, a quarter of the CPU time in the kernel (perf). mlx now keeps such
// blocks on the heap (mlx/malloc_linux.go): 0 faults per step. Under perf
// the rest is the fused kernels (~45%), Eigen's matrix products and its
// thread pool (~25%). XLA flags tried without a clear gain:
// --xla_cpu_prefer_vector_width=512, --xla_cpu_multi_thread_eigen=false,
// --xla_cpu_use_thunk_runtime=false and
// --xla_cpu_enable_concurrency_optimized_scheduler (both within run-to-run
// noise, which is ±20% on this VM); slower: --xla_cpu_use_xnnpack (-30%),
// --xla_cpu_use_fusion_emitters=false (-28%), --xla_cpu_enable_fast_math
// (-20%). The data path (mlx.Windows, 768 int32s a step) does not show up.
//
// Deliberately left out: subword tokenization for the GPT (characters, as
// nanoGPT's shakespeare_char), whole-word masking, BERT's static
// pre-computed masks (masks are drawn anew for every batch, as RoBERTa does),
// BERT's tied output layer and its Dense-GELU-LayerNorm transform (see
// bertHeads), mixed precision, and key/value caches for generation.
package pretrain
