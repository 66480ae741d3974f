// Package retrieval is lesson 15: finding the passages of the Debian FAQ
// that answer a question, in English and in Korean, and measuring how well
// each method does it.
//
// The pieces, each written for the lesson:
//
//   - passages.go: the FAQ cut at its numbered sections (165 English, 161
//     Korean passages, the same 158 section ids in both);
//   - eval.go and testdata/questions_{en,ko}.jsonl: 165 English and 171
//     Korean questions written the way users ask, labelled with the
//     sections that answer them; recall@k, MRR, reciprocal-rank fusion;
//   - bm25.go: BM25 by hand over an inverted index (Lucene's idf, k1 1.2,
//     b 0.75), with words, syllable bigrams or WordPiece pieces as terms;
//   - safetensors.go and minilm.go: all-MiniLM-L6-v2 (from the PyPI package
//     that `go run ./kernel setup` installs) read from model.safetensors
//     and built in GoMLX; its embeddings equal sentence-transformers' within
//     5.4e-7 (testdata/minilm_reference.json);
//   - encoder.go, contrastive.go and sts.go: lesson 07's BERT as a sentence
//     encoder, trained with in-batch negatives on KorSTS pairs and lesson
//     08's training questions; Spearman on KorSTS;
//   - dense.go and compare.go: exact dense search, and every method side by
//     side with their RRF fusions;
//   - read.go: retrieve, then read with lesson 08's reader;
//   - kmeans.go, ivf.go and scale.go: k-means by hand, an IVF index and
//     exact search over 150,000 NSMC reviews.
//
// Measured on the course machine (2-core AMD EPYC, XLA CPU), recall@5 /
// MRR: English BM25 0.867 / 0.781, MiniLM 0.936 / 0.850; Korean BM25
// (syllable bigrams) 0.766 / 0.679, MiniLM 0.246 / 0.205, the course
// encoder 0.284 / 0.219 before contrastive training and 0.554 / 0.418
// after (KorSTS test Spearman 0.470 -> 0.540, 300 steps in about 25 s).
// Retrieve-then-read (lesson 08's 196 test questions): EM 7.7%, F1 15.8%
// against 10.7% / 24.7% with the gold paragraph. IVF over 150,000 reviews
// embedded by the trained encoder (400 lists): recall@10 0.84 at nprobe 16
// and 0.93 at nprobe 32, which compares 14,539 vectors per query instead of
// 150,000 (2,328 and 1,234 queries/s against exact search's 114).
package retrieval
