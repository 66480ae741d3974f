package llm

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/baeum-go/baeum/lessons/rnn"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowMetadata displays the metadata that describe the model: every
// scalar value, and the length of each array (the tokenizer's 49,152
// tokens are one array).
func ShowMetadata(f *File) {
	var rows [][]string
	for _, k := range f.Keys {
		v := f.Meta[k]
		var s string
		switch x := v.(type) {
		case string:
			s = x
			if len(s) > 80 {
				s = s[:77] + "…"
			}
		case []string:
			s = fmt.Sprintf("%d strings: %q", len(x), x[:min(2, len(x))])
		case []int32:
			s = fmt.Sprintf("%d numbers", len(x))
		case []float32:
			s = fmt.Sprintf("%d numbers", len(x))
		default:
			s = fmt.Sprint(v)
		}
		rows = append(rows, []string{k, fmt.Sprintf("%T", v), s})
	}
	show.Table([]string{"key", "Go type", "value"}, rows)
}

var layerNumber = regexp.MustCompile(`^blk\.\d+\.`)

// ShowTensors displays the tensor directory, the 30 blocks folded into one
// row per kind of tensor, with shapes (row-major), storage types and the
// size on disk against float32.
func ShowTensors(f *File) {
	type group struct {
		shape  []int
		typ    GGMLType
		count  int
		bytes  int64
		floats int64
	}
	var order []string
	groups := map[string]*group{}
	var total, floats int64
	for _, t := range f.Tensors {
		name := layerNumber.ReplaceAllString(t.Name, "blk.N.")
		g, ok := groups[name]
		if !ok {
			g = &group{shape: t.Shape(), typ: t.Type}
			groups[name] = g
			order = append(order, name)
		}
		g.count++
		g.bytes += t.Bytes
		g.floats += 4 * t.Elements()
		total += t.Bytes
		floats += 4 * t.Elements()
	}
	var rows [][]string
	for _, name := range order {
		g := groups[name]
		rows = append(rows, []string{name, fmt.Sprint(g.shape), g.typ.String(), fmt.Sprint(g.count), mib(g.bytes), mib(g.floats)})
	}
	rows = append(rows, []string{"total", "", "", fmt.Sprint(len(f.Tensors)), mib(total), mib(floats)})
	show.Table([]string{"tensor", "shape", "stored as", "count", "on disk", "as float32"}, rows)
}

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

// ShowQ4_1Block displays one Q4_1 block taken apart: its scale d and
// minimum m, and for each of its 32 weights the 4-bit level q and the
// value d·q + m.
func ShowQ4_1Block(b Q4_1Block) {
	w := b.Values()
	header := []string{"weight j"}
	levels, values := []string{"level q"}, []string{"d·q + m"}
	for j := range 32 {
		header = append(header, fmt.Sprint(j))
		levels = append(levels, fmt.Sprint(b.Q[j]))
		values = append(values, fmt.Sprintf("%.4f", w[j]))
	}
	show.HTML(fmt.Sprintf("<div style=\"font-family:monospace\">d = %.6g, m = %.6g: 16 levels from %.4f to %.4f in steps of %.4f</div>", b.D, b.M, b.M, b.M+15*b.D, b.D))
	show.Table(header[:17], [][]string{levels[:17], values[:17]})
	show.Table(append([]string{"weight j"}, header[17:]...), [][]string{append([]string{"level q"}, levels[17:]...), append([]string{"d·q + m"}, values[17:]...)})
}

// ShowTokens displays how the tokenizer cuts each text: the pieces and
// their ids.
func ShowTokens(t *Tokenizer, texts ...string) {
	for _, text := range texts {
		ids := t.Encode(text)
		pieces := make([]string, len(ids))
		for i, id := range ids {
			pieces[i] = fmt.Sprintf("%s·%d", t.Token(id), id)
		}
		show.Tokens(fmt.Sprintf("%d tokens", len(ids)), pieces)
	}
}

// ShowCache draws the KV cache's size as a generation grows, against
// what it would be if every query head had its own key and value head.
func ShowCache(c Config, g *Generation) {
	x, gqa, full := make([]float64, len(g.CacheTokens)), make([]float64, len(g.CacheTokens)), make([]float64, len(g.CacheTokens))
	for i, n := range g.CacheTokens {
		x[i] = float64(n + 1)
		gqa[i] = float64((n+1)*c.CacheBytesPerToken()) / (1 << 20)
		full[i] = gqa[i] * float64(c.Heads) / float64(c.KVHeads)
	}
	show.Lines(show.Plot{Title: "KV cache while generating", XLabel: "tokens in the cache", YLabel: "MiB"},
		show.Series{Name: fmt.Sprintf("%d key/value heads (GQA)", c.KVHeads), X: x, Y: gqa},
		show.Series{Name: fmt.Sprintf("%d (one per query head)", c.Heads), X: x, Y: full})
}

// ShowAttention draws the attention weights of the given heads of one
// layer as heatmaps, the tokens along both axes (rows: queries).
func ShowAttention(in *Inside, layer int, heads ...int) {
	labels := make([]string, len(in.Tokens))
	for i, t := range in.Tokens {
		labels[i] = strings.ReplaceAll(t, "Ġ", "·")
	}
	for _, h := range heads {
		w := in.Weights[h]
		n := len(in.Tokens)
		values := make([][]float64, n)
		for i := range values {
			values[i] = make([]float64, n)
			for j := range n {
				values[i][j] = float64(w[i*n+j])
			}
		}
		show.Heatmap{Title: fmt.Sprintf("layer %d, head %d", layer, h), RowLabels: labels, ColLabels: labels,
			Values: values, Digits: -1, CellPixels: 18, RotateCols: true}.Show()
	}
}

// ShowNextTokens displays, at each position of the text, the model's k
// most likely next tokens with their probabilities, and whether the
// actual next token was among them.
func ShowNextTokens(in *Inside, t *Tokenizer, k int) {
	var rows [][]string
	vocab := len(in.Logits) / len(in.Tokens)
	for i := range in.Tokens {
		p := rnn.Probabilities(in.Logits[i*vocab:(i+1)*vocab], 1)
		order := make([]int, len(p))
		for j := range order {
			order[j] = j
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case p[a] > p[b]:
				return -1
			case p[a] < p[b]:
				return 1
			}
			return 0
		})
		var guesses []string
		for _, id := range order[:k] {
			mark := ""
			if i+1 < len(in.IDs) && id == in.IDs[i+1] {
				mark = " ✓"
			}
			guesses = append(guesses, fmt.Sprintf("%q %.0f%%%s", t.Decode([]int{id}), 100*p[id], mark))
		}
		rows = append(rows, []string{fmt.Sprintf("%q", t.Decode([]int{in.IDs[i]})), strings.Join(guesses, ", ")})
	}
	show.Table([]string{"token", fmt.Sprintf("the %d most likely next tokens", k)}, rows)
}

// ShowLosses draws a Teach run's loss.
func ShowLosses(t *Taught) {
	x := make([]float64, len(t.Losses))
	for i := range x {
		x[i] = float64(i + 1)
	}
	show.Lines(show.Plot{Title: "LoRA: loss on the answer", XLabel: "step", YLabel: "nats/token"},
		show.Series{Name: "loss", X: x, Y: t.Losses})
}
