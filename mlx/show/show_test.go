package show

import (
	"encoding/base64"
	"image/png"
	"strings"
	"testing"
)

func TestTableEscapes(t *testing.T) {
	got := TableHTML([]string{"a<b"}, [][]string{{"x&y"}})
	if !strings.Contains(got, "a&lt;b") || !strings.Contains(got, "x&amp;y") || strings.Count(got, "<tr>") != 2 {
		t.Errorf("TableHTML = %s", got)
	}
}

func TestTokensShowWhitespace(t *testing.T) {
	got := TokensHTML("2 tokens", []string{"한 ", "\n<"})
	for _, want := range []string{"한·", "↵&lt;", "2 tokens"} {
		if !strings.Contains(got, want) {
			t.Errorf("TokensHTML lacks %q: %s", want, got)
		}
	}
}

func TestLinesSVG(t *testing.T) {
	svg, err := LinesSVG(Plot{Title: "loss", LogY: true},
		Series{Name: "train", X: []float64{1, 2, 3}, Y: []float64{3, 2, 1}},
		Series{Name: "eval", X: []float64{1, 3}, Y: []float64{3.5, 1.5}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(strings.TrimSpace(svg), "<svg") || !strings.Contains(svg, "loss") || !strings.Contains(svg, "eval") {
		t.Errorf("unexpected SVG: %.200s", svg)
	}
	if _, err := LinesSVG(Plot{}, Series{X: []float64{1}, Y: nil}); err == nil {
		t.Error("mismatched series accepted")
	}
	if _, err := LinesSVG(Plot{LogY: true}, Series{X: []float64{1}, Y: []float64{0}}); err == nil {
		t.Error("no plottable point accepted")
	}
}

// Linear axes are labelled on round values, without "-0" or exponents.
func TestLinesRoundTicks(t *testing.T) {
	x, y := make([]float64, 100), make([]float64, 100)
	for i := range x {
		x[i], y[i] = float64(25*(i+1)), 0.05+float64(i%7)*0.4 // 25..2500, 0.05..2.45
	}
	svg, err := LinesSVG(Plot{Title: "GAN losses"}, Series{Name: "d", X: x, Y: y})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">500<", ">2500<", ">0.5<", ">2<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("no tick label %q", want)
		}
	}
	for _, bad := range []string{"e+03<", ">-0<"} {
		if strings.Contains(svg, bad) {
			t.Errorf("tick label with %q", bad)
		}
	}
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{-0.03, 2.4, "[0 0.5 1 1.5 2]"}, {0, 1, "[0 0.2 0.4 0.6 0.8 1]"}, {1, 2500, "[500 1000 1500 2000 2500]"}, {-1.2, -0.2, "[-1.2 -1 -0.8 -0.6 -0.4 -0.2]"}} {
		if s := tickLabels(niceTicks(c.lo, c.hi, 4)); s != c.want {
			t.Errorf("niceTicks(%v, %v) = %s, want %s", c.lo, c.hi, s, c.want)
		}
	}
}

// Log axes are labelled on powers of ten (and 2 and 5 times them on short ranges).
func TestLogTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{0.0008, 3, "[0.001 0.01 0.1 1]"}, {0.15, 4, "[0.2 0.5 1 2]"}, {3, 2000, "[10 100 1000]"}} {
		if s := tickLabels(logTicks(c.lo, c.hi)); s != c.want {
			t.Errorf("logTicks(%v, %v) = %s, want %s", c.lo, c.hi, s, c.want)
		}
	}
}

// tickLabels prints the labels of ticks as "[a b c]".
func tickLabels(ticks []float64, label func(float64) string) string {
	var got []string
	for _, v := range ticks {
		got = append(got, label(v))
	}
	return "[" + strings.Join(got, " ") + "]"
}

func TestImagePNG(t *testing.T) {
	im := GreyFromFloats([]float32{0, 1, 0.5, 2}, 2, 2, 0, 1, "x")
	if im.Pix[0] != 0 || im.Pix[1] != 255 || im.Pix[3] != 255 {
		t.Errorf("GreyFromFloats = %v", im.Pix)
	}
	b, err := base64.StdEncoding.DecodeString(PNGBase64(im))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	// Ink (255) is drawn black.
	if r, _, _, _ := img.At(1, 0).RGBA(); r != 0 {
		t.Errorf("ink pixel drawn as %d", r)
	}
	if !strings.Contains(ImageGridHTML([]Grey{im}, 4, 3), `width="6"`) {
		t.Error("scale not applied")
	}
}

func TestHeatmapColours(t *testing.T) {
	h := Heatmap{Values: [][]float64{{0, 1}}, Digits: 2, RowLabels: []string{"q"}, ColLabels: []string{"k1", "k2"}}
	got := h.HTML()
	if !strings.Contains(got, "rgb(255,255,255)") || !strings.Contains(got, "rgb(8,48,107)") || !strings.Contains(got, "1.00") {
		t.Errorf("Heatmap = %s", got)
	}
}

func TestBarsSVG(t *testing.T) {
	svg := BarsSVG("memory", "MiB", []string{"a", "b<c"}, []float64{10, 5})
	for _, want := range []string{"<svg", "memory", "b&lt;c", `width="320.0"`, `width="160.0"`, "10 MiB", "5 MiB"} {
		if !strings.Contains(svg, want) {
			t.Errorf("BarsSVG lacks %q:\n%s", want, svg)
		}
	}
}
