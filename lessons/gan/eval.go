package gan

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
)

// Verdict is how lesson 03's classifier sees a batch of generated digits.
type Verdict struct {
	N          int
	Confident  int       // images whose most likely class has probability >= Threshold
	Threshold  float32   // 0.9
	Histogram  [10]int   // predicted class of the confident images
	Pred       []int     // predicted class of every image
	Confidence []float32 // its probability
}

// ConfidentFraction is Confident / N.
func (v *Verdict) ConfidentFraction() float64 { return float64(v.Confident) / float64(v.N) }

// Judge classifies n generated images (pixels in [0, 1]) with lesson 03's
// network and counts those it labels with confidence >= threshold. A
// histogram piled on one or two classes is mode collapse: the generator
// found a few digits that fool the discriminator and makes only those.
func Judge(clf *cnn.Classifier, images []float32, n int, threshold float32) (*Verdict, error) {
	probs, err := clf.Predict(images, n)
	if err != nil {
		return nil, fmt.Errorf("gan.Judge: %w", err)
	}
	v := &Verdict{N: n, Threshold: threshold, Pred: make([]int, n), Confidence: make([]float32, n)}
	for i := range n {
		p := probs[i*cnn.NumClasses : (i+1)*cnn.NumClasses]
		best := 0
		for c := range p {
			if p[c] > p[best] {
				best = c
			}
		}
		v.Pred[i], v.Confidence[i] = best, p[best]
		if p[best] >= threshold {
			v.Confident++
			v.Histogram[best]++
		}
	}
	return v, nil
}

// Classes is how many different digits the confident images were taken
// for: CountClasses of their labels.
func (v *Verdict) Classes() int {
	var labels []int
	for i, c := range v.Pred {
		if v.Confidence[i] >= v.Threshold {
			labels = append(labels, c)
		}
	}
	return CountClasses(labels)
}

// CountClasses is how many different digits (0-9) labels holds. Out of
// 256 generated digits, 1 or 2 is mode collapse: the generator found a few
// pictures that fool the discriminator and makes only those.
//
//	CountClasses([]int{3, 3, 8, 3}) = 2, CountClasses(nil) = 0
func CountClasses(labels []int) int {
	var seen [10]bool
	n := 0
	for _, c := range labels {
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	return n
}
