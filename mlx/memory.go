package mlx

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
	"github.com/gomlx/gomlx/core/graph"
)

// Memory is what XLA's compiler reports about one compiled program
// (PJRT's CompiledMemoryStats), in bytes: its machine code, its parameters,
// its results, the parameters whose buffers the results reuse (donated),
// and the temporary buffers it needs while it runs (activations kept for
// the backward pass live here).
type Memory struct {
	Code, Inputs, Outputs, Aliases, Temporary int64
}

// CompiledMemory reads XLA's memory statistics of a compiled graph (see
// graph.Exec.Compile and model.Exec.Compile). Only the XLA backends report
// them; on the pure-Go backend it returns an error saying so.
//
// go-xla computes the statistics when it compiles (pjrt.LoadedExecutable's
// OnDeviceMemoryUsageStats) but its compute.Executable keeps the
// LoadedExecutable in an unexported field, so this reads that one field by
// reflection. A go-xla upgrade that renames it makes this return an error
// (mlx's tests catch it), never a wrong number.
func CompiledMemory(g *graph.Graph) (Memory, error) {
	if g == nil || !g.IsCompiled() {
		return Memory{}, fmt.Errorf("mlx.CompiledMemory: the graph is not compiled")
	}
	exe, ok := g.Executable().(*xla.Executable)
	if !ok {
		return Memory{}, fmt.Errorf("mlx.CompiledMemory: backend %q does not report compiled memory (only XLA does)", g.Backend().Name())
	}
	field := reflect.ValueOf(exe).Elem().FieldByName("exec")
	if !field.IsValid() || field.Type() != reflect.TypeFor[*pjrt.LoadedExecutable]() {
		return Memory{}, fmt.Errorf("mlx.CompiledMemory: this go-xla version keeps its executable elsewhere; update mlx/memory.go")
	}
	loaded := *(**pjrt.LoadedExecutable)(unsafe.Pointer(field.UnsafeAddr()))
	if loaded == nil {
		return Memory{}, fmt.Errorf("mlx.CompiledMemory: the executable was freed")
	}
	s := loaded.OnDeviceMemoryUsageStats
	return Memory{Code: s.GeneratedCode, Inputs: s.Inputs, Outputs: s.Outputs, Aliases: s.Aliases, Temporary: s.Temporary}, nil
}
