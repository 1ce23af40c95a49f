/*
 * test_client_report.c: the report's CSV (RFC 4180 quoting, BOM, CRLF, a
 * row per unit and the totals) and its HTML page (text escaped, no script,
 * both charts) built from a report result made here.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "pack.h"
#include "render.h"
#include "report.h"
#include "report_html.h"

/* A small report.get result: two units, one with a name that needs
 * quoting and escaping, one overdue task, one month. */
static void pack_result(msgpack_sbuffer *buf)
{
	msgpack_packer pk;

	msgpack_sbuffer_init(buf);
	msgpack_packer_init(&pk, buf, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 8);
	pack_kv_str(&pk, "as_of", "2025-03-31");
	pack_str(&pk, "term");
	msgpack_pack_map(&pk, 1);
	pack_kv_str(&pk, "name", "Nhiệm kỳ 2021–2025");
	pack_kv_nil(&pk, "unit");
	pack_str(&pk, "summary");
	msgpack_pack_map(&pk, 4);
	pack_kv_int(&pk, "assigned", 3);
	pack_kv_int(&pk, "done_on_time", 1);
	pack_kv_int(&pk, "overdue", 2);
	pack_str(&pk, "completion_rate");
	msgpack_pack_double(&pk, 33.3);
	pack_str(&pk, "units");
	msgpack_pack_array(&pk, 2);
	msgpack_pack_map(&pk, 5);
	pack_kv_str(&pk, "unit_code", "TINH");
	pack_kv_str(&pk, "unit_name", "Tỉnh \"Một\", <b>");
	pack_kv_int(&pk, "depth", 0);
	pack_kv_int(&pk, "assigned", 3);
	pack_str(&pk, "on_time_rate");
	msgpack_pack_nil(&pk);
	msgpack_pack_map(&pk, 6);
	pack_kv_str(&pk, "unit_code", "H1");
	pack_kv_str(&pk, "unit_name", "Huyện\nMột");
	pack_kv_int(&pk, "depth", 1);
	pack_kv_int(&pk, "assigned", 12345);
	pack_kv_int(&pk, "stalled", 1);
	pack_str(&pk, "completion_rate");
	msgpack_pack_double(&pk, 12.5);
	pack_str(&pk, "monthly");
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 2);
	pack_kv_str(&pk, "month", "2022-05");
	pack_kv_int(&pk, "done", 1);
	pack_str(&pk, "overdue");
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 3);
	pack_kv_int(&pk, "id", 7);
	pack_kv_str(&pk, "title", "<script>alert(1)</script>");
	pack_kv_str(&pk, "owner_name", "Lê Văn A");
	pack_kv_int(&pk, "overdue_total", 1);
}

Test(client_report, the_csv_quotes_as_rfc_4180_with_a_bom_and_crlf)
{
	static const char head[] = "\xEF\xBB\xBFMã đơn vị,Đơn vị,Cấp trong cây,";
	msgpack_sbuffer buf;
	msgpack_unpacked u;
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	pack_result(&buf);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, buf.data, buf.size, NULL), MSGPACK_UNPACK_SUCCESS);
	cr_assert_eq(report_csv(&sb, &u.data), 0);
	s = strbuf_cstr(&sb);
	cr_expect_eq(strncmp(s, head, strlen(head)), 0, "%s", s);
	cr_expect(strstr(s, "\r\nTINH,\"Tỉnh \"\"Một\"\", <b>\",0,3,,,,,,,,\r\n"), "%s", s);
	cr_expect(strstr(s, "\r\nH1,\"Huyện\nMột\",1,12345,"), "%s", s);
	cr_expect(strstr(s, "\r\n,Tổng cộng,,3,1,,,2,33.3,,,\r\n"), "%s", s);
	cr_expect_eq(s[sb.len - 1], '\n');
	cr_expect_eq(s[sb.len - 2], '\r');

	strbuf_reset(&sb);
	report_csv_field(&sb, "plain", 5);
	report_csv_field(&sb, "a,b", 3);
	cr_expect_str_eq(strbuf_cstr(&sb), "plain\"a,b\"");
	strbuf_free(&sb);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&buf);
}

Test(client_report, the_html_page_escapes_text_and_has_both_charts_with_names_and_axes)
{
	msgpack_sbuffer buf;
	msgpack_unpacked u;
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	pack_result(&buf);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, buf.data, buf.size, NULL), MSGPACK_UNPACK_SUCCESS);
	cr_assert_eq(report_html(&sb, &u.data), 0);
	s = strbuf_cstr(&sb);
	cr_expect_eq(strncmp(s, "<!DOCTYPE html>\n<html lang=\"vi\">", 32), 0);
	cr_expect(strstr(s, "@page{size:A4"));
	cr_expect(!strstr(s, "<script"), "unescaped text: %s", s);
	cr_expect(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	cr_expect(strstr(s, "Tỉnh &quot;Một&quot;, &lt;b&gt;"));
	cr_expect(strstr(s, "<svg id=\"chart-health\""));
	cr_expect(strstr(s, "<svg id=\"chart-completion\""));
	cr_expect(strstr(s, "31/03/2025"));
	{
		const char *from = strstr(s, "<svg id=\"chart-health\""), *end;
		const char *months = strstr(s, "<svg id=\"chart-completion\"");
		char *bars;

		cr_assert(from && months);
		end = strstr(from, "</svg>");
		cr_assert(end);
		bars = strndup(from, (size_t)(end - from));
		/* a bar is named by its unit's name, not its code, and its
		 * figures read as Vietnamese writes numbers */
		cr_expect(strstr(bars, "<tspan>Huyện Một</tspan>"), "%s", bars);
		cr_expect(!strstr(bars, ">H1<"), "%s", bars);
		cr_expect(strstr(bars, ">12.345 (12,5%)</text>"), "%s", bars);
		/* the time axis is named, its months read mm/yyyy */
		cr_expect(strstr(months, "<text id=\"axis-time\""), "%s", months);
		cr_expect(strstr(months, ">Tháng (tính đến cuối tháng)</text>"), "%s", months);
		cr_expect(strstr(months, ">Việc hoàn thành (cộng dồn)</text>"), "%s", months);
		cr_expect(strstr(months, ">05/2022</text>"), "%s", months);
		free(bars);
	}
	cr_expect(strstr(s, "<td class=\"n\">33,3%</td>"), "the summary's rate: %s", s);
	cr_expect(strstr(s, "<td class=\"n\">12.345</td>"), "a count in the units' table: %s", s);
	strbuf_free(&sb);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&buf);
	/* Without the units there is no page. */
	strbuf_init(&sb);
	{
		msgpack_object nil = {.type = MSGPACK_OBJECT_MAP};

		cr_expect_eq(report_html(&sb, &nil), -1);
		cr_expect_eq(report_csv(&sb, &nil), -1);
	}
	strbuf_free(&sb);
}

Test(client_report, the_figures_of_a_comparison_read_in_vietnamese)
{
	static const struct {
		const char *wire, *shown;
	} cases[] = {
		{"total", "Tổng số việc"}, {"cadres", "Số cán bộ"}, {"assigned", "Việc đã giao"},
		{"overdue", "Quá hạn"},	   {"stalled", "Đình trệ"},  {"done_late", "Hoàn thành quá hạn"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		cr_expect_str_eq(render_label(RENDER_FIGURE, cases[i].wire, strlen(cases[i].wire)),
				 cases[i].shown);
	cr_expect_null(render_label(RENDER_FIGURE, "units", 5));
}
