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

// Devices returns a backend with at least n devices for the lesson: on
// XLA's CPU, one made with n devices (CPUDevices); on a GPU or TPU host
// with several devices, the lessons' own backend. The pure-Go backend, or
// a single accelerator, has one device: the error says so, and the
// notebook runs the parts that need only one.
func Devices(n int) (compute.Backend, error) {
	info, err := mlx.BackendInfo()
	if err != nil {
		return nil, err
	}
	if info.Config == "xla:cpu" {
		return CPUDevices(n)
	}
	b := mlx.MustBackend()
	if b.NumDevices() < 2 {
		return nil, fmt.Errorf("%s has %d device: the parallel parts of this lesson need several (XLA's CPU plugin makes them: go run ./kernel setup, then GOMLX_BACKEND=xla:cpu)", info.Config, b.NumDevices())
	}
	return b, nil
}
