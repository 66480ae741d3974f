package rnn_test

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/rnn"
)

func ExampleWindows() {
	inputs, labels := rnn.Windows([]int32{1, 2, 3, 4, 5, 6, 7}, 3)
	fmt.Println(inputs, labels)
	// Output: [[1 2 3] [4 5 6]] [[2 3 4] [5 6 7]]
}

func ExampleProbabilities() {
	logits := []float32{2, 1, 0}
	for _, t := range []float64{0.5, 1, 2} {
		fmt.Printf("temperature %.1f: %.3f\n", t, rnn.Probabilities(logits, t))
	}
	// Output:
	// temperature 0.5: [0.867 0.117 0.016]
	// temperature 1.0: [0.665 0.245 0.090]
	// temperature 2.0: [0.506 0.307 0.186]
}

func ExampleNewCorpus() {
	c := rnn.NewCorpus("tiny", "abababababcd", 0, 0.25) // the last 3 characters are validation; c and d were never seen
	fmt.Println(c.Vocab.Size(), c.Vocab.Decode(c.Train), c.Vocab.Decode(c.Val))
	// Output: 3 ababababa b[UNK][UNK]
}
