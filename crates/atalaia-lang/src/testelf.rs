//! Builds minimal ELF64 little-endian executables for the binary parsers' tests: one `PT_LOAD`
//! segment mapping the whole file at [`BASE`], and the given sections laid out from byte
//! [`FIRST_SECTION_OFFSET`], each aligned to 16.

/// The virtual address the file is mapped at.
pub(crate) const BASE: u64 = 0x40_0000;
/// Where the first section's data starts in the file.
pub(crate) const FIRST_SECTION_OFFSET: u64 = 128;

fn align16(v: &mut Vec<u8>) {
    while v.len() % 16 != 0 {
        v.push(0);
    }
}

/// An ELF file holding `sections` (name, data).
pub(crate) fn elf(sections: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = vec![0u8; 120];
    align16(&mut out);
    let mut placed = Vec::new();
    for (_, data) in sections {
        let off = out.len() as u64;
        out.extend_from_slice(data);
        placed.push((off, data.len() as u64));
        align16(&mut out);
    }
    // .shstrtab
    let mut shstr = vec![0u8];
    let mut names = Vec::new();
    for (name, _) in sections {
        names.push(shstr.len() as u32);
        shstr.extend_from_slice(name.as_bytes());
        shstr.push(0);
    }
    let shstr_name = shstr.len() as u32;
    shstr.extend_from_slice(b".shstrtab\0");
    let shstr_off = out.len() as u64;
    out.extend_from_slice(&shstr);
    align16(&mut out);
    let shoff = out.len() as u64;
    let shnum = sections.len() as u16 + 2;
    let mut sh = |name: u32, ty: u32, flags: u64, addr: u64, off: u64, size: u64| {
        out.extend_from_slice(&name.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&addr.to_le_bytes());
        out.extend_from_slice(&off.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&1u64.to_le_bytes());
        out.extend_from_slice(&0u64.to_le_bytes());
    };
    sh(0, 0, 0, 0, 0, 0);
    for (i, (off, size)) in placed.iter().enumerate() {
        sh(names[i], 1, 2, BASE + off, *off, *size);
    }
    sh(shstr_name, 3, 0, 0, shstr_off, shstr.len() as u64);
    let total = out.len() as u64;
    // ELF header.
    let mut h = Vec::with_capacity(64);
    h.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
    h.extend_from_slice(&2u16.to_le_bytes()); // ET_EXEC
    h.extend_from_slice(&0x3eu16.to_le_bytes()); // x86-64
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&BASE.to_le_bytes()); // entry
    h.extend_from_slice(&64u64.to_le_bytes()); // phoff
    h.extend_from_slice(&shoff.to_le_bytes());
    h.extend_from_slice(&0u32.to_le_bytes());
    h.extend_from_slice(&64u16.to_le_bytes());
    h.extend_from_slice(&56u16.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&64u16.to_le_bytes());
    h.extend_from_slice(&shnum.to_le_bytes());
    h.extend_from_slice(&(shnum - 1).to_le_bytes());
    // PT_LOAD of the whole file.
    h.extend_from_slice(&1u32.to_le_bytes());
    h.extend_from_slice(&5u32.to_le_bytes()); // R+X
    h.extend_from_slice(&0u64.to_le_bytes()); // offset
    h.extend_from_slice(&BASE.to_le_bytes()); // vaddr
    h.extend_from_slice(&BASE.to_le_bytes()); // paddr
    h.extend_from_slice(&total.to_le_bytes()); // filesz
    h.extend_from_slice(&total.to_le_bytes()); // memsz
    h.extend_from_slice(&0x1000u64.to_le_bytes());
    out[..120].copy_from_slice(&h);
    out
}
