package llm

import (
	"fmt"
	"math/rand"
	"slices"
	"sort"
	"time"

	"github.com/baeum-go/baeum/lessons/rnn"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// MaxLen is the longest conversation (prompt + answer, in tokens) the
// lesson's KV cache holds.
const MaxLen = 512

// prefillBucket is the length prompts are padded to a multiple of, so
// that a few compiled graphs serve every prompt.
const prefillBucket = 32

// CacheBytesPerToken is what one more token adds to the KV cache: a key
// and a value vector per layer and key/value head, float32.
func (c Config) CacheBytesPerToken() int { return 2 * c.Layers * c.KVHeads * c.HeadDim * 4 }

// execOf returns m's compiled function named name, building it on first use.
func execOf[F model.ExecGraphFn](m *Model, name string, f F) (*model.Exec, error) {
	if e, ok := m.execs[name]; ok {
		return e, nil
	}
	e, err := model.NewExec(m.backend, m.Store, f)
	if err != nil {
		return nil, fmt.Errorf("llm: compiling %s: %w", name, err)
	}
	m.execs[name] = e
	return e, nil
}

// cached runs tokens through the model at positions start… with the KV
// cache (k, v), and returns the logits of every position and the new cache.
func (m *Model) cached(tokens []int32, start int, k, v *tensors.Tensor) (logits []float32, nk, nv *tensors.Tensor, err error) {
	e, err := execOf(m, "cached", func(scope *model.Scope, tokens, start, k, v *Node) []*Node {
		logits, next, _ := m.Forward(scope, tokens, start, &Cache{K: k, V: v}, nil)
		return []*Node{logits, next.K, next.V}
	})
	if err != nil {
		return nil, nil, nil, err
	}
	out, err := e.Exec(tensors.FromFlatDataAndDimensions(tokens, 1, len(tokens)), int32(start), k, v)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("llm: %w", err)
	}
	return tensors.MustCopyFlatData[float32](out[0]), out[1], out[2], nil
}

// Logits runs the whole token sequence through the model without a cache
// and returns the logits of every position, [len(tokens)·Vocab]. The
// sequence is padded at the end to a multiple of 32 tokens (one compiled
// graph per bucket); causal attention keeps the padding out of the real
// positions.
func (m *Model) Logits(tokens []int) ([]float32, error) {
	ids := make([]int32, (len(tokens)+prefillBucket-1)/prefillBucket*prefillBucket)
	copy(ids, toInt32(tokens))
	e, err := execOf(m, "whole", func(scope *model.Scope, tokens *Node) *Node {
		logits, _, _ := m.Forward(scope, tokens, ScalarZero(tokens.Graph(), dtypes.Int32), nil, nil)
		return logits
	})
	if err != nil {
		return nil, err
	}
	out, err := e.Exec(tensors.FromFlatDataAndDimensions(ids, 1, len(ids)))
	if err != nil {
		return nil, fmt.Errorf("llm: %w", err)
	}
	return tensors.MustCopyFlatData[float32](out[0])[:len(tokens)*m.Vocab], nil
}

func toInt32(ids []int) []int32 {
	out := make([]int32, len(ids))
	for i, id := range ids {
		out[i] = int32(id)
	}
	return out
}

// Sampler picks the next token from the logits: greedy (Temperature 0)
// takes the most likely; otherwise the logits are divided by Temperature,
// turned into probabilities, cut to the smallest set of most likely tokens
// whose probabilities add up to TopP (nucleus sampling), and one is drawn.
type Sampler struct {
	Temperature float64
	TopP        float64
	rng         *rand.Rand
}

// Greedy always takes the most likely token.
func Greedy() *Sampler { return &Sampler{} }

// Sample draws with temperature and top-p, reproducibly from seed.
func Sample(temperature, topP float64, seed int64) *Sampler {
	return &Sampler{Temperature: temperature, TopP: topP, rng: rand.New(rand.NewSource(seed))}
}

// Next picks a token from one position's logits.
func (s *Sampler) Next(logits []float32) int {
	if s.Temperature <= 0 {
		return argmax(logits)
	}
	probs := rnn.Probabilities(logits, s.Temperature) // lesson 04's softmax at a temperature
	keep := TopP(probs, s.TopP)
	total := 0.0
	for _, id := range keep {
		total += probs[id]
	}
	r := s.rng.Float64() * total
	for _, id := range keep {
		if r -= probs[id]; r <= 0 {
			return id
		}
	}
	return keep[len(keep)-1]
}

// TopP is the nucleus of a distribution: the most likely tokens, most
// likely first, up to and including the one that brings their total
// probability to p or more (ties keep the lower id first). The rest can
// never be sampled: the long tail of unlikely tokens is where nonsense
// comes from.
func TopP(probs []float64, p float64) []int {
	order := make([]int, len(probs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return probs[order[a]] > probs[order[b]] })
	total, n := 0.0, 0
	for n < len(order) && (n == 0 || total < p) {
		total += probs[order[n]]
		n++
	}
	return order[:n]
}

// Generation is what Generate produced, with its timings.
type Generation struct {
	Prompt, Tokens []int // the prompt's ids and the new ones
	Text           string
	PrefillSeconds float64 // the whole prompt in one pass (compiled beforehand)
	DecodeSeconds  float64 // one token at a time, with the cache
	CacheTokens    []int   // tokens in the cache after each step
	CompileSeconds float64 // compiling the graphs for this prompt length (0 when done before)
}

// PrefillTokensPerSec is prompt tokens per second of the prefill pass.
func (g *Generation) PrefillTokensPerSec() float64 {
	return float64(len(g.Prompt)) / g.PrefillSeconds
}

// DecodeTokensPerSec is new tokens per second after the first.
func (g *Generation) DecodeTokensPerSec() float64 {
	if len(g.Tokens) < 2 {
		return 0
	}
	return float64(len(g.Tokens)-1) / g.DecodeSeconds
}

// Generate continues prompt by up to n tokens with the KV cache: one pass
// over the whole prompt (prefill) fills the cache and gives the first new
// token; then each step feeds one token, at its position, and attends over
// the cache. It stops early at an end-of-turn or end-of-text token.
func (m *Model) Generate(prompt []int, n int, s *Sampler) (*Generation, error) {
	if len(prompt) == 0 {
		return nil, fmt.Errorf("llm.Generate: empty prompt")
	}
	padded := (len(prompt) + prefillBucket - 1) / prefillBucket * prefillBucket
	if padded+n > MaxLen {
		return nil, fmt.Errorf("llm.Generate: %d prompt tokens + %d new ones exceed the cache of %d", len(prompt), n, MaxLen)
	}
	c := m.Config
	shape := shapes.Make(dtypes.Float32, c.Layers, 1, MaxLen, c.KVHeads, c.HeadDim)
	k, v := tensors.FromShape(shape), tensors.FromShape(shape)
	// The first time a prompt length comes, run both shapes (prefill of
	// this bucket, one-token decode) once before the clock starts: the
	// tokens/s measure the model, not XLA's compiler.
	g := &Generation{Prompt: slices.Clone(prompt)}
	ids := make([]int32, padded) // the padding's keys land after the prompt, where the mask hides them until overwritten
	copy(ids, toInt32(prompt))
	start := time.Now()
	if !m.compiled[padded] {
		if _, _, _, err := m.cached(ids, 0, k, v); err != nil {
			return nil, err
		}
		if _, _, _, err := m.cached([]int32{0}, 0, k, v); err != nil {
			return nil, err
		}
		m.compiled[padded] = true
	}
	g.CompileSeconds = time.Since(start).Seconds()

	start = time.Now()
	logits, k, v, err := m.cached(ids, 0, k, v)
	if err != nil {
		return nil, err
	}
	next := s.Next(logits[(len(prompt)-1)*c.Vocab : len(prompt)*c.Vocab])
	g.PrefillSeconds = time.Since(start).Seconds()
	start = time.Now()
	for pos := len(prompt); ; pos++ {
		g.Tokens = append(g.Tokens, next)
		g.CacheTokens = append(g.CacheTokens, pos)
		if len(g.Tokens) == n || m.Tok.IsEnd(next) {
			break
		}
		logits, k, v, err = m.cached([]int32{int32(next)}, pos, k, v)
		if err != nil {
			return nil, err
		}
		next = s.Next(logits)
	}
	g.DecodeSeconds = time.Since(start).Seconds()
	g.Text = m.Tok.Decode(withoutEnd(m.Tok, g.Tokens))
	return g, nil
}

func withoutEnd(t *Tokenizer, ids []int) []int {
	if len(ids) > 0 && t.IsEnd(ids[len(ids)-1]) {
		return ids[:len(ids)-1]
	}
	return ids
}

// GenerateNoCache is Generate without the cache, greedily: each step runs
// the whole sequence so far again. It is the slow reference the cache must
// agree with.
func (m *Model) GenerateNoCache(prompt []int, n int) ([]int, error) {
	seq := slices.Clone(prompt)
	var out []int
	for range n {
		logits, err := m.Logits(seq)
		if err != nil {
			return nil, err
		}
		next := Greedy().Next(logits[(len(seq)-1)*m.Vocab:])
		out, seq = append(out, next), append(seq, next)
		if m.Tok.IsEnd(next) {
			break
		}
	}
	return out, nil
}

// IsEnd says whether id ends the model's turn: the end-of-sequence token,
// ChatML's <|im_end|> or <|endoftext|>.
func (t *Tokenizer) IsEnd(id int) bool {
	tok := t.Token(id)
	return id == t.EOS || tok == "<|im_end|>" || tok == "<|endoftext|>"
}
