//! Small helpers shared by the schemes.

use std::cmp::Ordering;

/// Compares two runs of ASCII digits as numbers of any size.
pub(crate) fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let a = strip_zeros(a);
    let b = strip_zeros(b);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn strip_zeros(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&c| c == b'0').count();
    &s[n..]
}

/// A list that lives on the stack up to `N` items and moves to the heap beyond, so comparing
/// typical versions never allocates.
#[derive(Debug, Clone)]
pub(crate) struct SmallBuf<T: Copy + Default, const N: usize> {
    inline: [T; N],
    len: usize,
    heap: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallBuf<T, N> {
    pub(crate) fn new() -> Self {
        SmallBuf {
            inline: [T::default(); N],
            len: 0,
            heap: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        if self.heap.is_empty() && self.len < N {
            self.inline[self.len] = item;
            self.len += 1;
        } else {
            if self.heap.is_empty() {
                self.heap.extend_from_slice(&self.inline[..self.len]);
            }
            self.heap.push(item);
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        if self.heap.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.heap
        }
    }

    pub(crate) fn remove(&mut self, index: usize) {
        if self.heap.is_empty() {
            self.inline.copy_within(index + 1..self.len, index);
            self.len -= 1;
        } else {
            self.heap.remove(index);
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.as_slice().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_compare_as_numbers() {
        assert_eq!(cmp_digits(b"010", b"9"), Ordering::Greater);
        assert_eq!(cmp_digits(b"000", b""), Ordering::Equal);
        assert_eq!(
            cmp_digits(b"123456789012345678901234567890", b"99"),
            Ordering::Greater
        );
    }

    #[test]
    fn small_buf_spills_to_the_heap() {
        let mut b: SmallBuf<u32, 2> = SmallBuf::new();
        for i in 0..5 {
            b.push(i);
        }
        b.remove(1);
        assert_eq!(b.as_slice(), [0, 2, 3, 4]);
        let mut c: SmallBuf<u32, 4> = SmallBuf::new();
        c.push(7);
        c.push(8);
        c.remove(0);
        assert_eq!((c.as_slice(), c.len()), (&[8][..], 1));
    }
}
