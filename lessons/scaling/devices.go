package scaling

import (
	"fmt"
	"strings"

	"github.com/baeum-go/baeum/mlx"
	"github.com/gomlx/compute"
	"github.com/gomlx/go-xla/compute/xla"
	"github.com/gomlx/go-xla/pjrt"
)

// CPUDevices opens XLA's CPU backend with n devices. The CPU PJRT plugin
// makes as many devices as its "cpu_device_count" client option asks (the
// plugin's default here is 4); they share the machine's cores and memory,
// but XLA partitions and schedules programs over them exactly as over GPUs
// or TPU cores, collectives included, so the lesson's programs run
// unchanged on a multi-GPU host or a TPU slice (open that backend instead,
// e.g. mlx.Backend() with GOMLX_BACKEND=xla:cuda).
func CPUDevices(n int) (compute.Backend, error) {
	if n < 1 {
		return nil, fmt.Errorf("scaling.CPUDevices: %d devices; ask for at least 1", n)
	}
	info, err := mlx.BackendInfo()
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(info.Config, "xla:") {
		return nil, fmt.Errorf("scaling.CPUDevices: the lessons run on %s, which has one device; several devices need XLA (go run ./kernel setup installs its CPU plugin)", info.Config)
	}
	b, err := xla.NewWithOptions("cpu", pjrt.NamedValuesMap{"cpu_device_count": int64(n)})
	if err != nil {
		return nil, fmt.Errorf("scaling.CPUDevices(%d): %w", n, err)
	}
	return b, nil
}
