// Package rnn is lesson 04: the seed's character-level LSTM text generator.
//
// The learner builds the seed's Keras model
//
//	Embedding(vocab, 256) - LSTM(128) - Dense(vocab, softmax)
//
// with GoMLX (the LSTM written out in LSTM, one fused gate matmul per
// step; the Dense layer is layers.Dense), trains it to
// predict the next character of tinyshakespeare and of Korean movie reviews
// (each Hangul syllable is one character), and generates text one
// character at a time, carrying the LSTM's hidden and cell state from step
// to step on the host, at several temperatures.
//
//	corpus, _ := rnn.LoadCorpus(rnn.Shakespeare)
//	lm, hist, _ := rnn.Train(backend, corpus, rnn.DefaultConfig(rnn.Shakespeare))
//	text, _ := lm.Generate("ROMEO:", 200, 0.8, 1)
//
// The model returns logits; the seed's softmax lives in the loss and in
// sampling. Left out on purpose: stacked or bidirectional LSTMs, dropout,
// truncated backpropagation across batches (each training window starts
// from a zero state), and subword tokens (lesson 02).
//
// Why not GoMLX's layers/lstm: its graph, unrolled over the window, is
// one XLA CPU compiles into kernels that recompute the cell state's chain
// of multiplies and adds from the first step at every step (forward and
// gradient), and add up 128 full-size padded copies of the input
// projection's gradient: 90% of the step time in generated element-wise
// code, growing with the square of the window. Measured on 2 cores
// (AMD EPYC), 128 windows of 32 characters: 0.5-2.4 steps/s with
// layers/lstm, 13-29 with LSTM (see stored), PyTorch 2.15 CPU 5-14
// (bench/pytorch_lstm.py; numbers noisy on a shared machine).
package rnn
