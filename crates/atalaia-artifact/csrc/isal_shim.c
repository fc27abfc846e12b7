/*
 * The few calls atalaia-artifact makes into ISA-L's streaming inflate (igzip_lib.h), behind an
 * opaque pointer so that the Rust side never depends on the layout of `struct inflate_state`
 * (which changes between ISA-L releases). Compiled by build.rs against the installed header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <isa-l/igzip_lib.h>

/* A fresh state that parses one gzip member (header, deflate data, CRC-32 and length trailer).
 * NULL when out of memory. */
struct inflate_state *atalaia_isal_new(void)
{
	struct inflate_state *s = malloc(sizeof *s);
	if (s != NULL) {
		isal_inflate_init(s);
		s->crc_flag = ISAL_GZIP;
	}
	return s;
}

void atalaia_isal_free(struct inflate_state *s)
{
	free(s);
}

/* Ready for the next gzip member of a multi-member stream. */
void atalaia_isal_reset(struct inflate_state *s)
{
	isal_inflate_reset(s);
	s->crc_flag = ISAL_GZIP;
}

/*
 * Inflates from `in` (*in_len bytes) into `out` (*out_len bytes), both at most UINT32_MAX bytes.
 * On return *in_len holds the bytes consumed, *out_len the bytes written, and *finished is 1 when
 * the member ended (its trailer checked); the bytes after the member are then not consumed.
 * Returns ISAL_DECOMP_OK or a negative ISA-L error code.
 */
int atalaia_isal_inflate(struct inflate_state *s, const uint8_t *in, size_t *in_len,
			 uint8_t *out, size_t *out_len, int *finished)
{
	int ret;
	uint32_t avail_in = (uint32_t)*in_len;
	uint32_t avail_out = (uint32_t)*out_len;

	s->next_in = (uint8_t *)in;
	s->avail_in = avail_in;
	s->next_out = out;
	s->avail_out = avail_out;
	ret = isal_inflate(s);
	*in_len = s->avail_in <= avail_in ? avail_in - s->avail_in : 0;
	*out_len = s->avail_out <= avail_out ? avail_out - s->avail_out : 0;
	*finished = s->block_state == ISAL_BLOCK_FINISH;
	s->next_in = NULL;
	s->next_out = NULL;
	return ret;
}
