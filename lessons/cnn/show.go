package cnn

import (
	"fmt"
	"strconv"

	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
)

// ShowSamples displays the first n images of d with their labels.
func ShowSamples(d *Data, n, cols int) {
	var ims []show.Grey
	for i := range min(n, d.N) {
		ims = append(ims, show.GreyFromFloats(d.Image(i), Size, Size, 0, 1, d.ClassNames[d.Y[i]]))
	}
	show.ImageGrid(ims, cols, 2)
}

// Layer is one row of the network's summary, as Keras' model.summary()
// prints it.
type Layer struct {
	Name   string
	Output string // output shape for one image
	Params int
}

// Summary lists the seed's layers with their output shapes and parameter
// counts (weights + biases), computed from the layer sizes.
func Summary() []Layer {
	conv := func(in, out int) int { return ConvParams(3, in, out) }
	return []Layer{
		{"Conv2D(32, 3x3, relu)", "26x26x32", conv(1, 32)},
		{"MaxPool(2)", "13x13x32", 0},
		{"Conv2D(64, 3x3, relu)", "11x11x64", conv(32, 64)},
		{"MaxPool(2)", "5x5x64", 0},
		{"Conv2D(64, 3x3, relu)", "3x3x64", conv(64, 64)},
		{"Flatten", "576", 0},
		{"Dense(64, relu)", "64", 576*64 + 64},
		{"Dense(10, softmax)", "10", 64*10 + 10},
	}
}

// ShowSummary displays Summary as a table with the total.
func ShowSummary() {
	var rows [][]string
	total := 0
	for _, l := range Summary() {
		rows = append(rows, []string{l.Name, l.Output, strconv.Itoa(l.Params)})
		total += l.Params
	}
	rows = append(rows, []string{"total", "", strconv.Itoa(total)})
	show.Table([]string{"layer", "output shape", "parameters"}, rows)
}

// ShowCurves draws the moving-average training accuracy recorded by Train
// (the loss curve is drawn by mlx.Fit itself).
func ShowCurves(h *mlx.History) {
	acc := make([]float64, len(h.Extra["~acc"]))
	for i, a := range h.Extra["~acc"] {
		acc[i] = 100 * a
	}
	show.Lines(show.Plot{Title: "training accuracy % (moving average)", XLabel: "step", YLabel: "%"},
		show.Series{Name: "accuracy", X: h.Steps[:len(acc)], Y: acc})
}

// ShowFilters draws the 32 learned 3x3 kernels of the first convolution
// (white = negative, black = positive weight).
func ShowFilters(c *Classifier) error {
	filters, err := c.Filters()
	if err != nil {
		return err
	}
	var ims []show.Grey
	for i, f := range filters {
		lo, hi := f[0], f[0]
		for _, v := range f {
			lo, hi = min(lo, v), max(hi, v)
		}
		ims = append(ims, show.GreyFromFloats(f, 3, 3, lo, hi, strconv.Itoa(i)))
	}
	show.ImageGrid(ims, 16, 12)
	return nil
}

// ShowFeatureMaps draws what the first convolution (32 maps, 26x26) and the
// second (the first 32 of 64 maps, 11x11) make of one image.
func ShowFeatureMaps(c *Classifier, image []float32) error {
	m, err := c.FeatureMaps(image)
	if err != nil {
		return err
	}
	show.ImageGrid([]show.Grey{show.GreyFromFloats(image, Size, Size, 0, 1, "input")}, 1, 3)
	grid := func(values []float32, side, channels, count, scale int, name string) {
		var ims []show.Grey
		for ch := range count {
			mp := Channel(values, side, side, channels, ch)
			hi := float32(1e-6)
			for _, v := range mp {
				hi = max(hi, v)
			}
			ims = append(ims, show.GreyFromFloats(mp, side, side, 0, hi, fmt.Sprintf("%s #%d", name, ch)))
		}
		show.ImageGrid(ims, 16, scale)
	}
	grid(m.Conv1, 26, 32, 32, 2, "conv1")
	grid(m.Conv2, 11, 64, 32, 5, "conv2")
	return nil
}

// ShowConfusion draws the confusion matrix: row = true class, column =
// predicted class; the diagonal holds the correct answers.
func ShowConfusion(ev *Evaluation, classNames []string, title string) {
	show.Confusion(title, classNames, ev.Confusion, 36)
}

// ShowMistakes draws up to n misclassified images of d, captioned
// "true→predicted confidence%".
func ShowMistakes(d *Data, ev *Evaluation, n int) {
	var ims []show.Grey
	for _, i := range ev.Wrong[:min(n, len(ev.Wrong))] {
		caption := fmt.Sprintf("%s→%s %.0f%%", d.ClassNames[d.Y[i]], d.ClassNames[ev.Pred[i]], 100*ev.Confidence[i])
		ims = append(ims, show.GreyFromFloats(d.Image(i), Size, Size, 0, 1, caption))
	}
	show.ImageGrid(ims, 8, 2)
}
