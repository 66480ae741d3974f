package compress

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/gomlx/core/tensors"
)

// Histogram counts values in bins equal bins over [lo, hi] (values outside
// are left out) and returns the bins' centres and counts.
func Histogram(values []float32, lo, hi float64, bins int) (centres, counts []float64) {
	width := (hi - lo) / float64(bins)
	counts = make([]float64, bins)
	for _, x := range values {
		if b := int((float64(x) - lo) / width); float64(x) >= lo && b < bins {
			counts[b]++
		}
	}
	for b := range bins {
		centres = append(centres, lo+(float64(b)+0.5)*width)
	}
	return centres, counts
}

// ShowHistograms draws the histogram of one weight tensor in each network
// (named by its scheme) over [−limit, limit].
func ShowHistograms(title, path string, limit float64, bins int, nets map[Scheme]*cnn.Classifier) error {
	var series []show.Series
	for _, s := range Schemes {
		c, ok := nets[s]
		if !ok {
			continue
		}
		w, _, err := Weights(c, path)
		if err != nil {
			return err
		}
		x, y := Histogram(w, -limit, limit, bins)
		series = append(series, show.Series{Name: string(s), X: x, Y: y})
	}
	show.Lines(show.Plot{Title: title, XLabel: "weight", YLabel: "weights in the bin"}, series...)
	return nil
}

// ShowMasks draws the masks of one weight tensor [inputs, outputs] as
// pictures, one per pruned network: a row per output, a column per input
// (the first cols inputs), white where the weight was kept.
func ShowMasks(path string, cols int, pruned ...*Pruned) error {
	var ims []show.Grey
	for _, p := range pruned {
		m, ok := p.Masks[path]
		if !ok {
			return fmt.Errorf("compress.ShowMasks: no mask for %s (one of cnn.WeightPaths, not a bias)", path)
		}
		dims := m.Shape().Dimensions
		out := dims[len(dims)-1]
		in := m.Shape().Size() / out
		mask := tensors.MustCopyFlatData[float32](m)
		cols := min(cols, in)
		pic := make([]float32, out*cols)
		for o := range out {
			for i := range cols {
				pic[o*cols+i] = mask[i*out+o]
			}
		}
		ims = append(ims, show.GreyFromFloats(pic, out, cols, 0, 1, fmt.Sprintf("%.0f%% pruned", 100*p.Fraction)))
	}
	show.ImageGrid(ims, 1, 2)
	return nil
}

// ShowSpectra draws each Dense layer's singular values, largest first (log
// scale), with the rank kept.
func (lr *LowRank) ShowSpectra() {
	var series []show.Series
	for i, s := range lr.Spectra {
		x := make([]float64, len(s))
		for j := range s {
			x[j] = float64(j + 1)
		}
		series = append(series, show.Series{Name: fmt.Sprintf("%s (rank %d kept)", headLayers[i].name, lr.Ranks[i]), X: x, Y: s})
	}
	show.Lines(show.Plot{Title: "singular values of the Dense layers", XLabel: "index", YLabel: "singular value", LogY: true}, series...)
}
