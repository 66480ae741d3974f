// Package rnn is lesson 04: the seed's character-level LSTM text generator.
//
// The learner builds the seed's Keras model
//
//	Embedding(vocab, 256) - LSTM(128) - Dense(vocab, softmax)
//
// with GoMLX's layers.Embedding, layers/lstm and layers.Dense, trains it to
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
package rnn
