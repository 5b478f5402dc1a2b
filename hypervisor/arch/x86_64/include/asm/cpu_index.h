/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * This CPU's number, from its stack pointer: stacks are HV_STACK_SIZE slots
 * of cpu_stacks and slot N is CPU N's (asm/percpu.h). A subtraction and a
 * shift, no call and no memory load: the lock debug checks run it on every
 * lock and unlock, where the out-of-line arch_cpu_id() cost a call, a frame
 * and a load each time.
 */
#ifndef LAMINA_ASM_CPU_INDEX_H
#define LAMINA_ASM_CPU_INDEX_H

#include <asm/layout.h>
#include <lamina/types.h>

extern uint8_t cpu_stacks[HV_MAX_CPUS][HV_STACK_SIZE];

static inline unsigned int arch_cpu_index(void)
{
	uint64_t sp;

	asm volatile("mov %%rsp, %0" : "=r"(sp));
	return (unsigned int)((sp - (uint64_t)cpu_stacks) / HV_STACK_SIZE);
}

#endif
