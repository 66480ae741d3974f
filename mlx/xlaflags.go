package mlx

import (
	"os"
	"strings"

	"github.com/gomlx/go-xla/pjrt"
)

// XLA's CPU compiler hands its matrix products to Eigen unless told
// otherwise. From PJRT C API 0.106 on, the plugin can hand them to YNNPACK
// instead (--xla_cpu_experimental_ynn_fusion_type=+dot, "+" adding dot to
// the plugin's default list rather than replacing it), which JAX 0.10 does
// by default. Measured on a 2-core AMD EPYC (bench/README.md): the
// products at lesson 07's shapes (BenchmarkMatMul) 89-173 -> 113-190
// GFLOP/s; a whole GPT training step ~6% faster on average, the LSTM and
// the CNN unchanged within this VM's ±10% noise. The older 0.81 plugin
// keeps its products in Eigen whatever the flag says (the dumps show no
// YNNPACK dot), hence the version check.
const (
	ynnFusionFlag   = "xla_cpu_experimental_ynn_fusion_type"
	ynnDots         = "--" + ynnFusionFlag + "=+dot"
	ynnMinPJRTMinor = 106
	xlaFlagsEnv     = "XLA_FLAGS"
)

// tuneCPUPlugin loads the CPU plugin at path and, where its version has
// YNNPACK products, adds the flag to $XLA_FLAGS before the backend (whose
// client reads $XLA_FLAGS) is created. A flag the user set about the same
// option wins. It returns the flag it added, or "".
func tuneCPUPlugin(path string) string {
	p, err := pjrt.GetPlugin(path)
	if err != nil {
		return "" // creating the backend reports it
	}
	_, minor := p.Version()
	flags, added := withYNNDots(os.Getenv(xlaFlagsEnv), minor)
	if added == "" {
		return ""
	}
	if err := os.Setenv(xlaFlagsEnv, flags); err != nil {
		return ""
	}
	return added
}

// withYNNDots returns flags with the YNNPACK products flag added, and the
// flag added ("" when the plugin is older than ynnMinPJRTMinor or flags
// already say something about YNN fusions).
func withYNNDots(flags string, pjrtMinor int) (string, string) {
	if pjrtMinor < ynnMinPJRTMinor || strings.Contains(flags, ynnFusionFlag) {
		return flags, ""
	}
	return strings.TrimSpace(flags + " " + ynnDots), ynnDots
}
