/*
 * lang_vi.c: the Vietnamese of every text the client marks with T() or
 * N_(), in the words of docs/glossary.md.  Keep the printf conversions of
 * each pair the same and in the same order (a test checks it).
 */
#include <stddef.h>

#include "lang.h"

const struct lang_pair lang_vi[] = {
	/* transfer.c, report xlsx (spreadsheets) */
	{"%s: %zu rows make a request of %zu bytes, over the %u an import takes; "
	 "split the file, each part with the header line (parents first)",
	 "%s: %zu dòng thành một yêu cầu %zu byte, quá %u byte một lần nhập nhận được; "
	 "hãy tách tệp, mỗi phần có dòng tiêu đề (đơn vị cấp trên trước)"},
	{"dotpha: checking %zu rows of %s...\n", "dotpha: đang kiểm tra %zu dòng của %s...\n"},
	{"%s: %lld bad row; nothing was imported", "%s: %lld dòng lỗi; chưa nhập gì"},
	{"%s: %lld bad rows; nothing was imported", "%s: %lld dòng lỗi; chưa nhập gì"},
	{"%s:%ld: the header line splits into one column with the separator %s "
	 "(tried ',', ';' and tab)\n",
	 "%s:%ld: dòng tiêu đề chỉ tách được một cột với dấu phân cách %s "
	 "(đã thử ',', ';' và tab)\n"},
	{"%s:%ld: the columns of %s, separated by ',' or ';': %s\n",
	 "%s:%ld: các cột của %s, cách nhau bằng dấu ',' hoặc ';': %s\n"},
	{"%s: the columns were not found; nothing was imported",
	 "%s: không nhận ra các cột; chưa nhập gì"},
	{"%s:%ld: field %ld: %s", "%s:%ld: ô thứ %ld: %s"},
	{"%s: the file is empty; its first line names the columns",
	 "%s: tệp trống; dòng đầu tiên phải là tên các cột"},
	{"--format: csv or json, got '%s'", "--format: csv hoặc json, không phải '%s'"},
	{"--sep: ',', ';' or tab, got '%s'", "--sep: ',', ';' hoặc tab, không phải '%s'"},
	{"the server's answer to export.rows is not rows of text",
	 "máy chủ trả lời export.rows không phải các dòng chữ"},
	{"\rdotpha: %s: %lld pages", "\rdotpha: %s: %lld trang"},
	{" (a date is written dd/mm/yyyy, or yyyy-mm-dd)",
	 " (ngày viết dd/mm/yyyy, hoặc yyyy-mm-dd)"},
	{" (write the label `dotpha export` writes, with or without diacritics, or the code)",
	 " (ghi nhãn như `dotpha export` ghi, có hay không dấu đều được, hoặc ghi mã)"},
	{"the text is not UTF-8; save the file as \"CSV UTF-8\"",
	 "chữ trong tệp không phải UTF-8; hãy lưu tệp dạng \"CSV UTF-8\""},
	{"a character after the closing quote of a field; a quote inside a quoted field "
	 "is written twice (\"\")",
	 "có ký tự sau dấu nháy đóng của ô; dấu nháy trong ô có nháy phải viết hai lần (\"\")"},
	{"a quote inside a field that does not start with one; quote the whole field and "
	 "write the quote twice (\"\")",
	 "có dấu nháy trong ô không bắt đầu bằng dấu nháy; hãy đặt cả ô trong nháy và viết "
	 "dấu nháy hai lần (\"\")"},
	{"a quoted field is never closed: a quote is missing",
	 "một ô mở dấu nháy mà không đóng: thiếu một dấu nháy"},
	{"Results of the breakthrough and innovation tasks",
	 "Báo cáo kết quả thực hiện việc đột phá, đổi mới"},
	{"as of ", "tính đến ngày "},
	{"By unit", "Theo đơn vị"},
	{"by unit", "theo đơn vị"},
	{"In all", "Tổng cộng"},
	{"Summary figures", "Tổng hợp"},
	{"the summary", "tổng hợp"},
	{"Indicator", "Chỉ tiêu"},
	{"Figure", "Số liệu"},
	{"Wrote the workbook to %s\n", "Đã ghi bảng tính vào %s\n"},
	/* end of transfer.c, report xlsx (spreadsheets) */
	{NULL, NULL},
};
