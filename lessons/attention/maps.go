package attention

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
	"github.com/baeum-go/baeum/mlx/show"
	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// lmFile is saved inside the checkpoint folder: what LoadTinyLM needs
// besides the weights.
type lmFile struct {
	Config  LMConfig
	Tokens  []string
	ValLoss float64
}

const lmFileName = "tinylm.json"

// Save writes the weights (mlx.SaveCheckpoint) and the configuration and
// vocabulary into dir.
func (m *TinyLM) Save(dir string) error {
	return mlx.SaveCheckpoint(m.Store, dir, mlx.JSONSidecar(lmFileName, lmFile{Config: m.Config, Tokens: m.Vocab.Tokens(), ValLoss: m.ValLoss}))
}

// LoadTinyLM reads a model saved by Save.
func LoadTinyLM(dir string) (*TinyLM, error) {
	var f lmFile
	store, err := mlx.LoadCheckpointJSON(dir, lmFileName, &f)
	if err != nil {
		return nil, fmt.Errorf("attention.LoadTinyLM: %w", err)
	}
	return &TinyLM{Config: f.Config, Vocab: tokenize.NewVocab(f.Tokens), Store: store, ValLoss: f.ValLoss}, nil
}

// Maps are the attention weights of a model reading one text:
// Weights[layer][head][i][j] is how much character i attends to character j.
type Maps struct {
	Tokens  []string
	Weights [][][][]float64
}

// AttentionMaps runs the model on text (cut to the model's context) and
// returns every layer's and head's attention weights.
func (m *TinyLM) AttentionMaps(backend compute.Backend, text string) (*Maps, error) {
	ids, err := m.Vocab.Encode(text)
	if err != nil {
		return nil, err
	}
	if len(ids) > m.Config.Context {
		ids = ids[:m.Config.Context]
	}
	exec, err := model.NewExec(backend, m.Store, func(scope *model.Scope, tokens *graph.Node) []*graph.Node {
		_, weights := m.Config.forward(scope, tokens, m.Vocab.Size())
		return weights
	})
	if err != nil {
		return nil, err
	}
	out, err := exec.Exec(tensors.FromFlatDataAndDimensions(ids, 1, len(ids)))
	if err != nil {
		return nil, fmt.Errorf("attention.AttentionMaps: %w", err)
	}
	maps := &Maps{}
	for _, id := range ids {
		maps.Tokens = append(maps.Tokens, m.Vocab.Token(id))
	}
	n := len(ids)
	for _, t := range out { // [1, heads, n, n]
		flat := tensors.MustCopyFlatData[float32](t)
		heads := make([][][]float64, t.Shape().Dim(1))
		for h := range heads {
			heads[h] = grid(n, n)
			for i := range n {
				for j := range n {
					heads[h][i][j] = float64(flat[(h*n+i)*n+j])
				}
			}
		}
		maps.Weights = append(maps.Weights, heads)
	}
	return maps, nil
}

// Heatmap is one head's weights as a heatmap: rows are the reading
// character (query), columns the character attended to (key).
func (mp *Maps) Heatmap(layer, head int) show.Heatmap {
	labels := make([]string, len(mp.Tokens))
	for i, t := range mp.Tokens {
		labels[i] = visible(t)
	}
	return show.Heatmap{Title: fmt.Sprintf("layer %d, head %d", layer, head), RowLabels: labels, ColLabels: labels,
		Values: mp.Weights[layer][head], Digits: -1, CellPixels: 11}
}

// ShowLayer draws every head of one layer side by side.
func (mp *Maps) ShowLayer(layer int) {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:16px">`)
	for h := range mp.Weights[layer] {
		b.WriteString("<div>" + mp.Heatmap(layer, h).HTML() + "</div>")
	}
	b.WriteString("</div>")
	show.HTML(b.String())
}

// visible makes spaces and newlines readable as labels.
func visible(t string) string {
	switch t {
	case " ":
		return "␣"
	case "\n":
		return "⏎"
	}
	return t
}

// Future is the largest weight any head gives to a later character (0 when
// the causal mask works), and RowSumError the largest |Σ_j A_ij − 1|.
func (mp *Maps) Future() (future, rowSumError float64) {
	for _, layer := range mp.Weights {
		for _, head := range layer {
			for i, row := range head {
				sum := 0.0
				for j, w := range row {
					sum += w
					if j > i {
						future = max(future, w)
					}
				}
				rowSumError = max(rowSumError, abs(sum-1))
			}
		}
	}
	return future, rowSumError
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
