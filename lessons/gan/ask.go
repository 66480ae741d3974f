package gan

import (
	"fmt"
	"math"
	"strings"

	"github.com/baeum-go/baeum/lessons/cnn"
	"github.com/baeum-go/baeum/mlx/show"
)

// AskGrid is what to ask a conditional GAN for a 10×10 grid: row r asks for
// digit r, and column c uses the same noise vector in every row, so a
// column shows one "handwriting" (the noise) drawing ten digits (the
// label). It returns 100 noise vectors (100*100 values) and 100 digits.
func AskGrid(seed int64) (z []float32, digits []int32) {
	styles := FixedNoise(cnn.NumClasses, seed)
	for d := range int32(cnn.NumClasses) {
		z = append(z, styles...)
		for range cnn.NumClasses {
			digits = append(digits, d)
		}
	}
	return z, digits
}

// NoiseSweep is a slider over the noise: for every digit, steps noise
// vectors moving from z0 to z1 (both drawn with seed) along
// z(θ) = cos θ·z0 + sin θ·z1, θ from 0 to π/2. Each z(θ) is again a
// standard normal vector (a straight line from z0 to z1 would pass through
// shorter vectors than the generator ever saw). Row d asks for digit d.
func NoiseSweep(steps int, seed int64) (z []float32, digits []int32) {
	ends := FixedNoise(2, seed)
	z0, z1 := ends[:NoiseDim], ends[NoiseDim:]
	row := make([]float32, 0, steps*NoiseDim)
	for s := range steps {
		theta := math.Pi / 2 * float64(s) / float64(max(1, steps-1))
		c, si := float32(math.Cos(theta)), float32(math.Sin(theta))
		for i := range NoiseDim {
			row = append(row, c*z0[i]+si*z1[i])
		}
	}
	for d := range int32(cnn.NumClasses) {
		z = append(z, row...)
		for range steps {
			digits = append(digits, d)
		}
	}
	return z, digits
}

// ShowAsked draws images drawn for digits, perRow to a row, each captioned
// with the judge's label and confidence, and marked ✗ when the judge does
// not see the digit asked for with confidence >= its threshold.
func ShowAsked(images []float32, digits []int32, v *Verdict, perRow int) {
	gs := greys(images, "")
	for i := range gs {
		mark := ""
		if v.Pred[i] != int(digits[i]) || v.Confidence[i] < v.Threshold {
			mark = " ✗"
		}
		gs[i].Caption = fmt.Sprintf("%d %.0f%%%s", v.Pred[i], 100*v.Confidence[i], mark)
	}
	show.ImageGrid(gs, perRow, 2)
}

// ShowAgreement draws the agreement per requested digit as a bar table.
func ShowAgreement(a *Agreement) {
	var rows [][]string
	for d, x := range a.PerDigit {
		rows = append(rows, []string{fmt.Sprint(d), fmt.Sprintf("%.1f%%", 100*x), strings.Repeat("█", int(math.Round(40*x)))})
	}
	rows = append(rows, []string{"all", fmt.Sprintf("%.1f%%", 100*a.Overall), ""})
	show.Table([]string{"digit asked for", "seen as asked, confidence >= 0.9", ""}, rows)
}
