package show

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"strings"
)

// Grey is a grey image: H*W bytes, row-major, 0 black .. 255 white unless
// Invert is set (MNIST stores ink as 255, so it is shown inverted: dark ink
// on white paper).
type Grey struct {
	Pix     []uint8
	H, W    int
	Caption string
}

// GreyFromFloats turns values in [lo, hi] into a Grey image (for learned
// filters, feature maps or generated images).
func GreyFromFloats(values []float32, h, w int, lo, hi float32, caption string) Grey {
	pix := make([]uint8, len(values))
	for i, v := range values {
		t := float32(0)
		if hi > lo {
			t = (v - lo) / (hi - lo)
		}
		t = min(max(t, 0), 1)
		pix[i] = uint8(t*255 + 0.5)
	}
	return Grey{Pix: pix, H: h, W: w, Caption: caption}
}

// ImageGrid displays images in rows of cols, each scaled up scale times
// (nearest neighbour) with its caption underneath. Ink (high values) is drawn
// dark on white.
func ImageGrid(images []Grey, cols, scale int) { HTML(ImageGridHTML(images, cols, scale)) }

// ImageGridHTML builds the HTML of ImageGrid: PNG images embedded as data URLs.
func ImageGridHTML(images []Grey, cols, scale int) string {
	if cols <= 0 {
		cols = 10
	}
	if scale <= 0 {
		scale = 2
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div style="display:grid;grid-template-columns:repeat(%d,max-content);gap:4px">`, cols)
	for _, im := range images {
		fmt.Fprintf(&b, `<div style="text-align:center;font-family:monospace;font-size:11px">`+
			`<img src="data:image/png;base64,%s" width="%d" height="%d" style="image-rendering:pixelated"/><br/>%s</div>`,
			PNGBase64(im), im.W*scale, im.H*scale, html.EscapeString(im.Caption))
	}
	b.WriteString("</div>")
	return b.String()
}

// PNGBase64 encodes a grey image as base64 PNG, ink dark on white.
func PNGBase64(im Grey) string {
	img := image.NewGray(image.Rect(0, 0, im.W, im.H))
	for i := 0; i < im.H*im.W && i < len(im.Pix); i++ {
		img.SetGray(i%im.W, i/im.W, color.Gray{Y: 255 - im.Pix[i]})
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img) // writing to memory cannot fail
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}
