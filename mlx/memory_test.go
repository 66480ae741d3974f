package mlx

import (
	"strings"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
)

// TestCompiledMemory compiles x·x for a 64×64 float32 x: XLA reports its
// one 16 KiB input and output; the pure-Go backend reports nothing, with an
// error that says so.
func TestCompiledMemory(t *testing.T) {
	backend, err := Backend()
	if err != nil {
		t.Skip(err)
	}
	exec, err := graph.NewExec(backend, func(x *graph.Node) *graph.Node { return graph.MatMul(x, x) })
	if err != nil {
		t.Fatal(err)
	}
	g, err := exec.Compile(shapes.Make(dtypes.Float32, 64, 64))
	if err != nil {
		t.Fatal(err)
	}
	m, err := CompiledMemory(g)
	if !strings.HasPrefix(backend.Name(), "xla") {
		if err == nil || !strings.Contains(err.Error(), "only XLA") {
			t.Errorf("backend %s: error %v, want one saying only XLA reports memory", backend.Name(), err)
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if m.Inputs != 64*64*4 || m.Outputs != 64*64*4 {
		t.Errorf("memory %+v, want 16384-byte input and output", m)
	}
	if _, err := CompiledMemory(nil); err == nil {
		t.Error("nil graph accepted")
	}
}
