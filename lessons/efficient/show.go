package efficient

import (
	"fmt"
	"math"
	"strings"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowScaling draws time and memory against the sequence length for every
// method in costs, on log-log axes, with a line of slope 2 (n²) through
// the first point of the first method for reference, and a table of the
// largest length.
func ShowScaling(costs []Cost) {
	var order []string
	by := map[string][]Cost{}
	for _, c := range costs {
		if _, ok := by[c.Method]; !ok {
			order = append(order, c.Method)
		}
		by[c.Method] = append(by[c.Method], c)
	}
	if len(order) == 0 {
		return
	}
	for _, memory := range []bool{false, true} {
		value := func(c Cost) float64 {
			if memory {
				return float64(c.Memory) / (1 << 20)
			}
			return 1000 * c.Seconds
		}
		var series []show.Series
		for _, m := range order {
			s := show.Series{Name: m}
			for _, c := range by[m] {
				if v := value(c); v > 0 {
					s.X, s.Y = append(s.X, float64(c.N)), append(s.Y, v)
				}
			}
			series = append(series, s)
		}
		first := by[order[0]]
		ref := show.Series{Name: "slope 2 (n²), for reference"} // drawn above the first method's start, so the two do not hide each other
		for _, c := range first {
			ref.X = append(ref.X, float64(c.N))
			ref.Y = append(ref.Y, 4*value(first[0])*math.Pow(float64(c.N)/float64(first[0].N), 2))
		}
		title, unit := "time of one forward pass", "ms"
		if memory {
			title, unit = "XLA's temporary memory", "MiB"
		}
		if memory && first[0].Memory < 0 {
			fmt.Println("this backend does not report compiled memory (XLA's backends do)")
			continue
		}
		height := 320 + 18*max(0, len(series)-2) // room for the legend
		show.Lines(show.Plot{Title: title, XLabel: "sequence length", YLabel: unit, LogX: true, LogY: true, Width: 640, Height: height}, append(series, ref)...)
	}
}

// ShowMask draws a visibility mask (true: query row i sees key column j).
func ShowMask(title string, mask [][]bool) {
	values := make([][]float64, len(mask))
	labels := make([]string, len(mask))
	for i, row := range mask {
		labels[i] = fmt.Sprint(i)
		for _, ok := range row {
			values[i] = append(values[i], map[bool]float64{true: 1, false: 0}[ok])
		}
	}
	show.Heatmap{Title: title, RowLabels: labels, ColLabels: labels, Values: values, Digits: -1, CellPixels: 12, RotateCols: true}.Show()
}

// ShowBuckets lists, for every LSH bucket, its tokens written as the letter
// of their cluster (A, B, ...): similar tokens should share buckets.
func ShowBuckets(buckets, clusters []int) {
	most := 0
	for _, b := range buckets {
		most = max(most, b)
	}
	var rows [][]string
	for b := range most + 1 {
		var toks []string
		for t, tb := range buckets {
			if tb == b {
				toks = append(toks, fmt.Sprintf("%d%c", t, 'A'+clusters[t]))
			}
		}
		if len(toks) > 0 {
			rows = append(rows, []string{fmt.Sprint(b), strings.Join(toks, " ")})
		}
	}
	show.Table([]string{"bucket", "tokens (position and cluster letter)"}, rows)
}

// ShowField draws the two receptive fields of AxialField, on a log scale
// (each cell: log₁₀ of its influence relative to the largest, from −4 up;
// white: none at all).
func ShowField(afterRows, afterBoth [][]float64) {
	for i, f := range [][][]float64{afterRows, afterBoth} {
		title := "after the row pass"
		if i == 1 {
			title = "after the row and column passes"
		}
		top := 0.0
		for _, row := range f {
			for _, v := range row {
				top = math.Max(top, v)
			}
		}
		logs := make([][]float64, len(f))
		for r, row := range f {
			for _, v := range row {
				l := 0.0
				if v > 0 && top > 0 {
					l = 4 + math.Max(math.Log10(v/top), -3.9)
				}
				logs[r] = append(logs[r], l)
			}
		}
		show.Heatmap{Title: title + " (log scale)", Values: logs, Digits: -1, CellPixels: 14}.Show()
	}
}
