// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writable page tables (Xen's ptwr, xen/arch/x86/pv/ro-page-fault.c): a
 * guest kernel's write that faults on a read-only mapping of one of its own
 * L1 tables is emulated as a validated update of that entry, if the domain
 * enabled VMASST_TYPE_writable_pagetables. The instruction is decoded and
 * executed on a copy of the entry by the pure asm/ptwr_emul.h; the new entry
 * goes through the frame table's mm_mod_entry (the checks of mmu_update);
 * only if it is accepted are the entry, the registers, the flags and rip
 * committed. Anything else (a user-mode fault, another page, an instruction
 * outside the list, an entry refused) is the guest's #PF, with the %cr2 and
 * error code the hardware gave.
 */
#include <asm/paging.h>
#include <asm/ptwr_emul.h>
#include <asm/traps.h>
#include <asm/x86.h>
#include <lamina/domain.h>
#include <lamina/mm.h>
#include <asm/insn_decode.h>
#include <asm/pv/emul.h>
#include <asm/pv/mm.h>

#define PFEC_PRESENT 1
#define PFEC_WRITE 2
#define PFEC_RSVD 8
#define PFEC_INSN 16

static uint64_t *const *gpr_map(struct cpu_regs *r, uint64_t *out[16])
{
	uint64_t *const map[16] = { &r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp,
				    &r->rsi, &r->rdi, &r->r8,  &r->r9,	&r->r10, &r->r11,
				    &r->r12, &r->r13, &r->r14, &r->r15 };

	for (unsigned int i = 0; i < 16; i++)
		out[i] = map[i];
	return out;
}

/* The L1 page and slot the write at cr2 hit, if it is a ptwr case. */
static bool ptwr_target(struct vcpu *v, uint64_t cr2, uint64_t *l1, unsigned int *slot)
{
	uint64_t table, e;
	unsigned int s;
	const struct page_info *pg;

	if (pv_mm_l1_of(v, cr2, &table, &s))
		return false;
	e = ((uint64_t *)mfn_to_virt(_mfn(table)))[s];
	if ((e & (PTE_P | PTE_RW)) != PTE_P)
		return false;
	*l1 = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	*slot = (unsigned int)((cr2 & (PAGE_SIZE - 1)) / 8);
	pg = mm_env_page(*l1);
	return pg && pg->owner == v->domain->id && pg->type == MM_PGT_L1 &&
	       (pg->flags & MM_PGF_VALIDATED);
}

/* Emulates the write; true when done (the guest resumes after it). */
static bool emulate(struct vcpu *v, struct cpu_regs *regs, uint64_t cr2)
{
	uint8_t buf[PV_INSN_MAX_LEN];
	uint64_t *map[16], gprs[16], flags = regs->rflags, l1, old, val;
	struct mm_ptwr_op op;
	unsigned int slot;
	struct mm_ctx c;
	size_t len = pv_fetch_insn(buf, regs->rip);
	bool write;
	int rc;

	if (!len || mm_ptwr_decode(buf, len, &op))
		return false;
	gpr_map(regs, map);
	for (unsigned int i = 0; i < 16; i++)
		gprs[i] = *map[i];
	mm_ctx_init(&c, v->domain, v->domain->id);
	spin_lock(&mm_lock);
	rc = ptwr_target(v, cr2, &l1, &slot) ? 0 : -1;
	if (!rc) {
		old = __atomic_load_n(&((uint64_t *)mfn_to_virt(_mfn(l1)))[slot], __ATOMIC_RELAXED);
		rc = mm_ptwr_execute(&op, cr2, old, gprs, &flags, &val, &write);
	}
	if (!rc && write)
		rc = mm_mod_entry(&c, l1, slot, val, false);
	spin_unlock(&mm_lock);
	mm_ctx_flush(&c);
	if (rc)
		return false;
	for (unsigned int i = 0; i < 16; i++)
		*map[i] = gprs[i];
	regs->rflags = flags;
	regs->rip += op.len;
	return true;
}

bool pv_ro_page_fault(struct vcpu *v, struct cpu_regs *regs)
{
	uint64_t cr2 = read_cr2();

	if (!v->arch.kernel_mode ||
	    (regs->error_code & (PFEC_PRESENT | PFEC_WRITE | PFEC_RSVD | PFEC_INSN)) !=
		    (PFEC_PRESENT | PFEC_WRITE) ||
	    !(v->domain->vm_assist & (1UL << VMASST_TYPE_writable_pagetables)))
		return false;
	if (emulate(v, regs, cr2))
		return true;
	/* The instruction fetch may have faulted: the guest gets the first %cr2. */
	write_cr2(cr2);
	return false;
}
