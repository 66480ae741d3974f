package transfer

import (
	"slices"
	"strings"
	"testing"

	"github.com/baeum-go/baeum/lessons/cnn"
)

// labelled is a data set of n images whose pixel 0 holds the image's index
// (so a sample can be traced back) and whose classes are uneven.
func labelled(n int) *cnn.Data {
	d := &cnn.Data{Name: "synthetic", Split: "train", N: n, X: make([]float32, n*cnn.Size*cnn.Size), Y: make([]int32, n)}
	for i := range n {
		d.X[i*cnn.Size*cnn.Size] = float32(i)
		d.Y[i] = int32(i * i % cnn.NumClasses) // classes 0, 1, 4, 5, 6, 9 only... and unevenly
	}
	for i := range n / 2 {
		d.Y[i] = int32(i % cnn.NumClasses) // every class present
	}
	return d
}

func indices(d *cnn.Data) []int {
	var out []int
	for i := range d.N {
		out = append(out, int(d.X[i*cnn.Size*cnn.Size]))
	}
	return out
}

func TestStratified(t *testing.T) {
	d := labelled(2000)
	for _, n := range []int{10, 100, 105, 300} {
		s, err := Stratified(d, n, 7)
		if err != nil {
			t.Fatal(err)
		}
		counts := make([]int, cnn.NumClasses)
		for i, idx := range indices(s) {
			if s.Y[i] != d.Y[idx] {
				t.Fatalf("image %d lost its label", idx)
			}
			counts[s.Y[i]]++
		}
		for class, c := range counts {
			if c != n/10 && c != n/10+1 {
				t.Errorf("n=%d: class %d has %d images, want %d or %d", n, class, c, n/10, n/10+1)
			}
		}
		if s.N != n {
			t.Errorf("n=%d: got %d images", n, s.N)
		}
		again, _ := Stratified(d, n, 7)
		if !slices.Equal(indices(s), indices(again)) {
			t.Errorf("n=%d: two draws with the same seed differ", n)
		}
		other, _ := Stratified(d, n, 8)
		if slices.Equal(indices(s), indices(other)) {
			t.Errorf("n=%d: seeds 7 and 8 drew the same images", n)
		}
	}
	small, _ := Stratified(d, 100, 7)
	large, _ := Stratified(d, 300, 7)
	for _, idx := range indices(small) {
		if !slices.Contains(indices(large), idx) {
			t.Fatalf("image %d of the 100-image sample is not in the 300-image one", idx)
		}
	}
	if _, err := Stratified(d, 1900, 7); err == nil || !strings.Contains(err.Error(), "class") {
		t.Errorf("asking for more images of a class than there are: err = %v", err)
	}
}
