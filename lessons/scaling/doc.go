// Package scaling is lesson 12: one training step spread over several
// devices, through XLA's SPMD partitioner as GoMLX drives it (graph.Exec's
// AutoSharding with a distributed.DeviceMesh and sharding specs), and this
// machine measured against GPUs and TPUs.
//
// Devices. XLA's CPU plugin presents the machine as several devices: its
// PJRT client option "cpu_device_count" sets how many (CPUDevices; the
// plugin's default here is 4; XLA_FLAGS=--xla_force_host_platform_device_count
// does not reach the PJRT plugin). They share the cores, so nothing is
// faster, but XLA partitions, places and communicates exactly as on GPUs
// or TPU cores; Devices returns the real devices on such hosts.
//
// Strategies (Train, placement). One Adam step of a two-layer perceptron is
// written once (adamStep); each strategy only says where each input lives:
// data parallel (batch cut, weights copied), tensor parallel (Megatron-LM:
// W1 by columns, W2 by rows), ZeRO-1 (Adam's moments cut), FSDP (weights
// and moments cut). Measured on 4 XLA CPU devices, MLP 256-1,024-256
// (525,568 weights), batch 64, 20 steps: every strategy's losses within
// 4e-7 (relative) of one device's; one device's memory (XLA's statistics,
// inputs + temporaries) 6.15 MiB on one device, 6.05 data parallel, 1.63
// tensor parallel, 5.04 ZeRO-1, 3.60 FSDP. Replicated tensors must be given
// an explicit replicated spec: with none, the partitioner may choose to cut
// them, and the buffers passed no longer fit.
//
// GoMLX's own distributed trainer (train.Trainer.DistributedTrainStep)
// does data parallelism with sharded batches as well; with weights that
// carry their own sharding spec (tensor parallelism) its second step fails
// in v0.28.2 (the updated weights come back whole while the program expects
// slices), which is why the lesson runs its own step with explicit output
// specs.
//
// Pipeline (RunPipeline): one stage per device, GPipe and 1F1B orders;
// every pass runs alone on its device and is timed, and is laid out on a
// device-time timeline as separate chips would run it (the CPU devices
// share the cores: running stages at once, tried first, measured the
// sharing of cores, 21% against the formula's 27% for 4 stages and 8
// micro-batches). The summed micro-batch gradients equal one device's
// (ReferenceGradients). The
// all-reduce by hand (RingAllReduce) is the ring algorithm NCCL uses.
//
// Hardware (MatmulThroughput, Bandwidth, Chips, Attainable, TrainingFLOP):
// this machine's float32 matrix throughput and memory bandwidth, the
// roofline beside published accelerator peaks, and the 6·N·D estimate.
package scaling
