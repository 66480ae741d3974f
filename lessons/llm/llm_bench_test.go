package llm

import (
	"testing"

	"github.com/baeum-go/baeum/mlx"
)

// BenchmarkGenerate measures SmolLM2's prefill and decode speed on the
// backend GOMLX_BACKEND picks (graphs compiled before the clock starts):
//
//	go test -run '^$' -bench Generate -benchtime 1x ./lessons/llm
//	GOMLX_BACKEND=go go test -run '^$' -bench Generate -benchtime 1x ./lessons/llm
func BenchmarkGenerate(b *testing.B) {
	path, err := ModelPath()
	if err != nil {
		b.Skip("SmolLM2 not installed (go run ./kernel setup):", err)
	}
	f, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	backend, err := mlx.Backend()
	if err != nil {
		b.Skip("no backend:", err)
	}
	m, err := Load(backend, f)
	if err != nil {
		b.Fatal(err)
	}
	prompt := m.Tok.Encode(m.Tok.ChatPrompt([]Message{{Role: "user", Content: "Explain in two sentences why the sky is blue."}}, true))
	var prefill, decode float64
	for range b.N {
		g, err := m.Generate(prompt, 32, Greedy())
		if err != nil {
			b.Fatal(err)
		}
		prefill, decode = g.PrefillTokensPerSec(), g.DecodeTokensPerSec()
	}
	b.ReportMetric(prefill, "prefill-tokens/s")
	b.ReportMetric(decode, "decode-tokens/s")
}
