/*
 * demo.c: `dotphad demo`, the deterministic demo province.  It builds in
 * memory, from a fixed-seed generator, the province the 2022 Tuyên Quang
 * article describes (the unit tree with its 2025 mergers, renames and the end
 * of the district level; 141 leading cadres and their postings; the year 2020
 * and the term 2021–2025; 476 tasks with years of progress updates), then
 * loads it through db_demo.c in a few large transactions.
 *
 * --scale N repeats the province N times, each under a root of its own
 * ("TU-P2", ...), so province 1 and its figures stay the same at any scale.
 * Content depends only on the scale and on the demo's present day (--present,
 * default the day it is loaded): the last day progress is reported, from
 * which the tasks still running look as they would on that day.  No rand().
 *
 * The history it shows, and its shortcuts.  Three rotations (luân chuyển)
 * during the term.  On 2025-02-01 and 2025-03-01 boards and departments
 * merge as they did in 2025 (the survivor renamed where the real one was);
 * their cadres move to the survivor.  On 2025-07-01 the city and districts
 * close and their cadres move to communes, which sit under the root: the tree
 * keeps only current parents.  A cadre's managing unit has no history, so
 * the cadres a district managed still name that closed district, as do
 * their tasks' unit and assigned_by.
 */
#include "demo.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "date.h"
#include "db.h"
#include "db_demo.h"

#define DEMO_SCALE_MAX 1000
#define DEMO_SEED 0x44f7a1c3d5e6b209ULL
#define DEMO_COMMIT_EVERY 250000  /* progress updates per transaction, about */
#define DEMO_REGISTRY_START "2020-01-06" /* the day the office began keeping the registry */
#define DEMO_PRESENT_MIN "2026-02-01" /* after the term, its extensions decided */
#define DEMO_ABOLITION "2025-07-01"      /* the district level ends; communes move under TU */

/* ---- a fixed-seed generator: splitmix64 ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A generator for stream `b` of seed `a`: streams never depend on how much
 * another stream consumed, so a change in one part leaves the rest as is. */
static struct rng rng_make(uint64_t a, uint64_t b)
{
	struct rng r = {a ^ (b * 0xd1b54a32d192ed03ULL)};

	rng_next(&r);
	return r;
}

/* Uniform in [0, n); n > 0.  The modulo bias is below 1e-15 for our n. */
static int rng_below(struct rng *r, int n)
{
	return (int)(rng_next(r) % (uint64_t)n);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + rng_below(r, hi - lo + 1);
}

static bool rng_chance(struct rng *r, int percent)
{
	return rng_below(r, 100) < percent;
}

#define PICK(r, arr) ((arr)[rng_below((r), (int)(sizeof(arr) / sizeof((arr)[0])))])
#define COUNT(arr) ((int)(sizeof(arr) / sizeof((arr)[0])))

/* ---- the province as data ---- */

enum field { F_SOCIO, F_DEFENCE, F_PARTY, F_LIVES, F_COUNT, F_ANY = -1 };

static const char *const field_names[F_COUNT] = {
	"socio_economic", "defence_security", "party_building", "livelihood",
};

/* A body directly under the root: the root itself first, then Party boards,
 * the provincial government and departments.  posts are the titles of its
 * cadres managed by the root, head first; in a title template {N} is the
 * body's name on the day the post began. */
struct body_def {
	const char *code, *name, *level, *valid_from;
	const char *posts[3];
	int field;                 /* the field its tasks lean to, or F_ANY */
	const char *event;         /* date of the rename or merger below, or NULL */
	const char *renamed;       /* new name from `event` on */
	const char *merged_into;   /* code of the body it is merged into on `event` */
};

static const struct body_def bodies[] = {
	{"TU", "Tỉnh ủy Tuyên Quang", "tỉnh ủy", "1991-10-01",
	 {"Phó Bí thư Thường trực Tỉnh ủy"}, F_ANY, NULL, NULL, NULL},
	{"UBND-T", "Ủy ban nhân dân tỉnh Tuyên Quang", "ủy ban nhân dân tỉnh", "1991-10-01",
	 {"Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh"},
	 F_SOCIO, NULL, NULL, NULL},
	{"MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "mặt trận, đoàn thể", NULL,
	 {"Chủ tịch {N}"}, F_LIVES, NULL, NULL, NULL},
	{"BTC", "Ban Tổ chức Tỉnh ủy", "ban đảng", NULL, {"Trưởng {N}", "Phó Trưởng {N}"},
	 F_PARTY, NULL, NULL, NULL},
	{"UBKT", "Ủy ban Kiểm tra Tỉnh ủy", "ban đảng", NULL, {"Chủ nhiệm {N}", "Phó Chủ nhiệm {N}"},
	 F_PARTY, NULL, NULL, NULL},
	{"BTG", "Ban Tuyên giáo Tỉnh ủy", "ban đảng", NULL, {"Trưởng {N}", "Phó Trưởng {N}"},
	 F_PARTY, "2025-02-01", "Ban Tuyên giáo và Dân vận Tỉnh ủy", NULL},
	{"BDV", "Ban Dân vận Tỉnh ủy", "ban đảng", NULL, {"Trưởng {N}", "Phó Trưởng {N}"},
	 F_PARTY, "2025-02-01", NULL, "BTG"},
	{"BNC", "Ban Nội chính Tỉnh ủy", "ban đảng", "2013-03-01", {"Trưởng {N}", "Phó Trưởng {N}"},
	 F_DEFENCE, NULL, NULL, NULL},
	{"VPTU", "Văn phòng Tỉnh ủy", "ban đảng", NULL, {"Chánh {N}", "Phó Chánh {N}"},
	 F_PARTY, NULL, NULL, NULL},
	{"S-KHDT", "Sở Kế hoạch và Đầu tư", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, "2025-03-01", NULL, "S-TC"},
	{"S-TC", "Sở Tài chính", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, NULL, NULL, NULL},
	{"S-NNPTNT", "Sở Nông nghiệp và Phát triển nông thôn", "sở", NULL,
	 {"Giám đốc {N}", "Phó Giám đốc {N}"}, F_SOCIO, "2025-03-01", "Sở Nông nghiệp và Môi trường",
	 NULL},
	{"S-GTVT", "Sở Giao thông vận tải", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, "2025-03-01", NULL, "S-XD"},
	{"S-XD", "Sở Xây dựng", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, NULL, NULL, NULL},
	{"S-GDDT", "Sở Giáo dục và Đào tạo", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_LIVES, NULL, NULL, NULL},
	{"S-YT", "Sở Y tế", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_LIVES, NULL, NULL, NULL},
	{"S-TNMT", "Sở Tài nguyên và Môi trường", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, "2025-03-01", NULL, "S-NNPTNT"},
	{"S-VHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "sở", NULL,
	 {"Giám đốc {N}", "Phó Giám đốc {N}"}, F_SOCIO, NULL, NULL, NULL},
	{"S-CT", "Sở Công Thương", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, NULL, NULL, NULL},
	{"S-NV", "Sở Nội vụ", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_PARTY, NULL, NULL, NULL},
	{"S-TP", "Sở Tư pháp", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_DEFENCE, NULL, NULL, NULL},
	{"S-LDTBXH", "Sở Lao động - Thương binh và Xã hội", "sở", NULL,
	 {"Giám đốc {N}", "Phó Giám đốc {N}"}, F_LIVES, "2025-03-01", NULL, "S-NV"},
	{"S-TTTT", "Sở Thông tin và Truyền thông", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_PARTY, "2025-03-01", NULL, "S-KHCN"},
	{"S-KHCN", "Sở Khoa học và Công nghệ", "sở", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_SOCIO, NULL, NULL, NULL},
	{"TTR", "Thanh tra tỉnh", "cơ quan ngang sở", NULL, {"Chánh {N}", "Phó Chánh {N}"},
	 F_DEFENCE, NULL, NULL, NULL},
	{"BDT", "Ban Dân tộc tỉnh", "cơ quan ngang sở", NULL, {"Trưởng {N}", "Phó Trưởng {N}"},
	 F_LIVES, NULL, NULL, NULL},
	{"CA", "Công an tỉnh", "lực lượng vũ trang", NULL, {"Giám đốc {N}", "Phó Giám đốc {N}"},
	 F_DEFENCE, NULL, NULL, NULL},
	{"BCHQS", "Bộ Chỉ huy Quân sự tỉnh", "lực lượng vũ trang", NULL,
	 {"Chỉ huy trưởng {N}", "Phó Chỉ huy trưởng {N}"}, F_DEFENCE, NULL, NULL, NULL},
};

#define NBODIES COUNT(bodies)
#define NCOMMUNES 5

/* The city and the districts; `lower` is how many of their own cadres (managed
 * by the district, not the province) get tasks: the first `lower` entries of
 * lower_roles.  Communes are wards (phường) in the city. */
static const struct district_def {
	const char *code, *abbr, *place, *valid_from;
	bool city;
	int lower;
	const char *communes[NCOMMUNES];
} districts[] = {
	{"TP-TQ", "TQ", "Tuyên Quang", "2010-07-02", true, 10,
	 {"Phan Thiết", "Tân Quang", "Minh Xuân", "Nông Tiến", "Hưng Thành"}},
	{"H-SONDUONG", "SD", "Sơn Dương", NULL, false, 11,
	 {"Tân Trào", "Minh Thanh", "Trung Yên", "Hợp Thành", "Sơn Nam"}},
	{"H-YENSON", "YS", "Yên Sơn", NULL, false, 10,
	 {"Thắng Quân", "Lang Quán", "Mỹ Bằng", "Xuân Vân", "Trung Môn"}},
	{"H-HAMYEN", "HY", "Hàm Yên", NULL, false, 9,
	 {"Thái Sơn", "Phù Lưu", "Yên Thuận", "Bạch Xa", "Thành Long"}},
	{"H-CHIEMHOA", "CH", "Chiêm Hóa", NULL, false, 10,
	 {"Hòa Phú", "Kim Bình", "Trung Hà", "Tân Mỹ", "Yên Nguyên"}},
	{"H-NAHANG", "NH", "Na Hang", NULL, false, 8,
	 {"Thượng Giáp", "Sơn Phú", "Năng Khả", "Thanh Tương", "Đà Vị"}},
	{"H-LAMBINH", "LB", "Lâm Bình", "2011-04-01", false, 7,
	 {"Thượng Lâm", "Khuôn Hà", "Bình An", "Lăng Can", "Phúc Yên"}},
};

#define NDISTRICTS COUNT(districts)

/* A post in a district.  Title templates: {HU} Huyện ủy/Thành ủy, {h}
 * huyện/thành phố, {x} xã/phường, {P} the district's place name, {C} the
 * commune's.  On DEMO_ABOLITION the holder moves to commune `then_commune`
 * as `then_title`. */
struct role_def {
	const char *title;
	int commune;       /* -1: posted at the district itself */
	int then_commune;
	const char *then_title;
};

#define ROLE_SECRETARY 100 /* role ids: 0.. posts of a body, 100.. upper_roles, 200.. lower_roles */
#define ROLE_CHAIR 102

/* Managed by the province: the standing members of each district. */
static const struct role_def upper_roles[] = {
	{"Bí thư {HU} {P}", -1, 0, "Bí thư Đảng ủy {x} {C}"},
	{"Phó Bí thư Thường trực {HU} {P}", -1, 1, "Bí thư Đảng ủy {x} {C}"},
	{"Chủ tịch UBND {h} {P}", -1, 0, "Chủ tịch UBND {x} {C}"},
};

/* Managed by the district. */
static const struct role_def lower_roles[] = {
	{"Phó Chủ tịch UBND {h} {P}", -1, 1, "Chủ tịch UBND {x} {C}"},
	{"Trưởng Ban Tổ chức {HU} {P}", -1, 2, "Bí thư Đảng ủy {x} {C}"},
	{"Chủ nhiệm Ủy ban Kiểm tra {HU} {P}", -1, 3, "Bí thư Đảng ủy {x} {C}"},
	{"Bí thư Đảng ủy {x} {C}", 0, 0, "Phó Bí thư Đảng ủy {x} {C}"},
	{"Chủ tịch UBND {x} {C}", 0, 0, "Phó Chủ tịch UBND {x} {C}"},
	{"Trưởng Ban Tuyên giáo {HU} {P}", -1, 4, "Bí thư Đảng ủy {x} {C}"},
	{"Bí thư Đảng ủy {x} {C}", 1, 1, "Phó Bí thư Đảng ủy {x} {C}"},
	{"Phó Chủ tịch UBND {h} {P}", -1, 2, "Chủ tịch UBND {x} {C}"},
	{"Chánh Văn phòng {HU} {P}", -1, 3, "Chủ tịch UBND {x} {C}"},
	{"Trưởng phòng Tài chính - Kế hoạch {h} {P}", -1, 4, "Chủ tịch UBND {x} {C}"},
	{"Chủ tịch UBND {x} {C}", 1, 1, "Phó Chủ tịch UBND {x} {C}"},
};

/* Rotations (luân chuyển): the holders of `role` in units a and b swap. */
static const struct swap_def {
	const char *date, *a, *b;
	int role;
} swaps[] = {
	{"2022-10-01", "BTC", "S-NV", 1},
	{"2023-04-01", "H-NAHANG", "H-LAMBINH", ROLE_SECRETARY},
	{"2024-01-15", "S-GDDT", "S-VHTTDL", 1},
};

/* The 13 heads given a task for 2020: (unit, role). */
static const struct {
	const char *unit;
	int role;
} heads_2020[] = {
	{"S-KHDT", 0}, {"S-TC", 0}, {"S-NNPTNT", 0}, {"S-GTVT", 0}, {"S-TNMT", 0}, {"S-YT", 0},
	{"TP-TQ", ROLE_SECRETARY}, {"H-SONDUONG", ROLE_SECRETARY}, {"H-YENSON", ROLE_SECRETARY},
	{"H-CHIEMHOA", ROLE_SECRETARY}, {"H-HAMYEN", ROLE_CHAIR}, {"H-NAHANG", ROLE_CHAIR},
	{"H-LAMBINH", ROLE_CHAIR},
};

/* The article's figures for one province. */
#define UPPER_CADRES 76
#define UPPER_TASKS 244
#define LOWER_CADRES 65
#define LOWER_TASKS 219
#define TASKS_PER_CADRE_MAX 6

static const struct term_def {
	const char *code, *name, *kind, *start, *end;
	const char *assign_from, *assign_to; /* when its tasks were registered */
	const char *follow_up;               /* late tasks report until this day (NULL: the present) */
	int step_min, step_max;              /* days between two progress reports */
} terms[] = {
	{"2020", "Năm 2020", "year", "2020-01-01", "2020-12-31", "2020-02-10", "2020-03-20",
	 "2021-03-31", 20, 50},
	{"2021-2025", "Nhiệm kỳ 2021–2025", "term", "2021-01-01", "2025-12-31", "2021-04-15",
	 "2021-07-30", NULL, 25, 95},
};

/* Deadlines of term tasks before the end of the term: quarter ends. */
static const char *const quarter_ends[] = {
	"2022-06-30", "2022-09-30", "2022-12-31", "2023-03-31", "2023-06-30", "2023-09-30",
	"2023-12-31", "2024-03-31", "2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31",
	"2025-06-30", "2025-09-30",
};

/* ---- names ---- */

static const char *const family_names[] = {
	"Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Phạm",
	"Hoàng", "Hoàng", "Vũ", "Đỗ", "Ma", "Ma", "Ma", "Hà", "Hà", "Hà", "Nông", "Nông", "Triệu",
	"Lý", "Đặng", "Bùi", "Đinh", "Quan", "Lương", "Dương", "Chu", "Mai", "Phùng", "Âu", "Hầu",
};
static const char *const male_middle[] = {
	"Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Thanh", "Ngọc", "Xuân", "Công", "Thế",
	"Trung", "Đình", "Mạnh", "Tiến", "Hồng", "Kim",
};
static const char *const male_given[] = {
	"Hùng", "Dũng", "Tuấn", "Thắng", "Cường", "Hải", "Sơn", "Bình", "Long", "Quân", "Hưng",
	"Khánh", "Phong", "Toàn", "Đạt", "Hòa", "Thành", "Trung", "Việt", "Nam", "Lợi", "Tâm",
	"Kiên", "Hiếu", "Chiến", "Thịnh", "Huy", "Tùng", "Giang", "Lâm", "Tuyên", "Quyết", "Chung",
};
static const char *const female_middle[] = {
	"Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Bích", "Kim", "Thúy",
};
static const char *const female_second[] = {
	"Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Bích", "Kim", "Thúy", "Hải", "Diệu",
};
static const char *const female_given[] = {
	"Hương", "Lan", "Hà", "Thủy", "Hằng", "Nga", "Nhung", "Hoa", "Mai", "Yến", "Thảo", "Hạnh",
	"Huyền", "Loan", "Phượng", "Vân", "Trang", "Liên", "Dung", "Tuyết", "Thơm", "Hiền",
};

/* ---- task and progress text ---- */

/* Title and product templates.  Besides the title tokens: {A} "trên địa bàn"
 * the task's area, {X} a commune of it, {D} a district of it, {U} the unit's
 * name, {sup} the standing committee that manages the owner, {p} the percent
 * of an update, {S} the task's product, and {k} {num} {pct} {ha} numbers and
 * {crop} {proj} {road} {river} {cause} picks, each fixed for one text. */
struct task_tpl {
	char kind; /* 'b' breakthrough, 'i' innovation */
	const char *title, *product;
};

static const struct task_tpl socio_tpl[] = {
	{'b', "Hoàn thành giải phóng mặt bằng dự án {proj}",
	 "Bàn giao 100% mặt bằng sạch dự án {proj} cho chủ đầu tư"},
	{'b', "Giải quyết dứt điểm tình trạng nợ đọng xây dựng cơ bản {A}",
	 "Không còn nợ đọng xây dựng cơ bản; báo cáo xử lý từng công trình được cấp ủy thông qua"},
	{'b', "Xây dựng vùng sản xuất {crop} tập trung đạt tiêu chuẩn VietGAP {A}",
	 "Vùng sản xuất {crop} {ha} ha được cấp giấy chứng nhận VietGAP"},
	{'i', "Đổi mới phương thức xúc tiến, thu hút đầu tư {A}",
	 "Ít nhất {k} dự án được chấp thuận chủ trương đầu tư"},
	{'b', "Đẩy nhanh tiến độ giải ngân vốn đầu tư công {A}",
	 "Tỷ lệ giải ngân vốn đầu tư công đạt trên 95% kế hoạch mỗi năm"},
	{'i', "Cải thiện chỉ số năng lực cạnh tranh cấp sở, ngành, huyện (DDCI) của {U}",
	 "Chỉ số DDCI của {U} thuộc nhóm dẫn đầu tỉnh"},
	{'b', "Hoàn thành cấp giấy chứng nhận quyền sử dụng đất lần đầu cho các hộ còn tồn đọng {A}",
	 "100% hộ đủ điều kiện được cấp giấy chứng nhận quyền sử dụng đất"},
	{'i', "Phát triển sản phẩm OCOP từ {crop} {A}",
	 "Ít nhất {k} sản phẩm từ {crop} đạt chứng nhận OCOP 3 sao trở lên"},
	{'b', "Xây dựng {X} đạt chuẩn nông thôn mới nâng cao",
	 "Quyết định công nhận {X} đạt chuẩn nông thôn mới nâng cao"},
	{'b', "Tháo gỡ vướng mắc về đất đai để khởi công dự án {proj}",
	 "Dự án {proj} được khởi công đúng kế hoạch"},
	{'i', "Phát triển du lịch cộng đồng gắn với bảo tồn văn hóa dân tộc Tày tại {X}",
	 "Điểm du lịch cộng đồng tại {X} đón trên {k}.000 lượt khách mỗi năm"},
	{'b', "Giải quyết dứt điểm các dự án chậm tiến độ, dự án treo {A}",
	 "100% dự án chậm tiến độ được xử lý: tiếp tục triển khai hoặc thu hồi"},
};

static const struct task_tpl defence_tpl[] = {
	{'b', "Giải quyết dứt điểm các vụ việc khiếu nại, tố cáo đông người, kéo dài {A}",
	 "Không còn vụ việc khiếu kiện đông người, vượt cấp, kéo dài"},
	{'i', "Xây dựng mô hình \"{X} an toàn về an ninh, trật tự\"",
	 "Mô hình được công nhận và nhân rộng ra ít nhất {k} xã, phường"},
	{'b', "Triệt xóa các điểm, tụ điểm phức tạp về ma túy {A}",
	 "100% điểm, tụ điểm ma túy được triệt xóa, không phát sinh mới"},
	{'b', "Chấm dứt tình trạng khai thác cát, sỏi trái phép trên {river}",
	 "Không còn khai thác cát, sỏi trái phép; 100% vụ vi phạm được xử lý"},
	{'i', "Tổ chức thành công diễn tập khu vực phòng thủ {D}",
	 "Cuộc diễn tập được Quân khu 2 đánh giá đạt loại giỏi"},
	{'b', "Kéo giảm tai nạn giao thông trên tuyến {road}",
	 "Số vụ tai nạn giao thông giảm ít nhất 10% mỗi năm trên cả ba tiêu chí"},
	{'i', "Ứng dụng camera giám sát an ninh, trật tự tại các khu dân cư {A}",
	 "{pct}% khu dân cư có camera kết nối với lực lượng công an"},
	{'b', "Giải quyết dứt điểm tình trạng xuất cảnh, di cư trái phép {A}",
	 "Không còn công dân xuất cảnh, di cư trái phép"},
	{'i', "Xây dựng lực lượng dân quân tự vệ vững mạnh, rộng khắp {A}",
	 "100% thôn, tổ dân phố có tổ dân quân tại chỗ được huấn luyện đạt yêu cầu"},
	{'b', "Chấm dứt tình trạng phá rừng, lấn chiếm đất rừng {A}",
	 "Không để xảy ra phá rừng trái phép; thu hồi 100% diện tích bị lấn chiếm"},
};

static const struct task_tpl party_tpl[] = {
	{'b', "Củng cố, kiện toàn tổ chức cơ sở đảng yếu kém {A}",
	 "Không còn tổ chức cơ sở đảng xếp loại không hoàn thành nhiệm vụ"},
	{'i', "Thực hiện mô hình bí thư chi bộ đồng thời là trưởng thôn, tổ dân phố {A}",
	 "{pct}% thôn, tổ dân phố thực hiện mô hình"},
	{'i', "Sắp xếp, tinh gọn tổ chức bộ máy của {U}",
	 "Đề án sắp xếp được phê duyệt; giảm ít nhất 15% đầu mối bên trong"},
	{'i', "Chuyển đổi số trong công tác văn phòng cấp ủy",
	 "100% văn bản đi, đến được ký số và xử lý trên môi trường điện tử"},
	{'b', "Xóa thôn, bản chưa có đảng viên, chưa có chi bộ {A}",
	 "100% thôn, bản có đảng viên và chi bộ"},
	{'i', "Đổi mới, nâng cao chất lượng sinh hoạt chi bộ {A}",
	 "{pct}% chi bộ sinh hoạt chuyên đề ít nhất một lần mỗi quý"},
	{'i', "Số hóa hồ sơ đảng viên và cơ sở dữ liệu tổ chức đảng",
	 "100% hồ sơ đảng viên được số hóa, cập nhật trên phần mềm quản lý"},
	{'b', "Giải quyết dứt điểm đơn thư tố cáo đối với đảng viên còn tồn đọng",
	 "100% đơn thư tồn đọng được giải quyết đúng thời hạn"},
	{'i', "Đổi mới công tác dân vận, thực hiện phong trào \"Dân vận khéo\" {A}",
	 "Ít nhất {k} mô hình \"Dân vận khéo\" được công nhận cấp tỉnh"},
	{'i', "Nâng cao chất lượng kết nạp đảng viên là người dân tộc thiểu số {A}",
	 "Kết nạp ít nhất {num} đảng viên mới mỗi năm, vượt chỉ tiêu được giao"},
};

static const struct task_tpl lives_tpl[] = {
	{'b', "Xóa nhà tạm, nhà dột nát cho hộ nghèo, hộ cận nghèo {A}",
	 "100% hộ nghèo, hộ cận nghèo có nhà ở kiên cố"},
	{'b', "Giảm tỷ lệ hộ nghèo đa chiều tại {X}",
	 "Tỷ lệ hộ nghèo đa chiều tại {X} giảm bình quân 4%/năm"},
	{'b', "Đưa nước sạch về các thôn vùng cao {A}",
	 "{pct}% hộ dân nông thôn được sử dụng nước sạch hợp vệ sinh"},
	{'b', "Hoàn thành đưa điện lưới quốc gia đến các thôn chưa có điện {A}",
	 "100% hộ dân được sử dụng điện lưới quốc gia"},
	{'b', "Xóa phòng học tạm, phòng học mượn {A}",
	 "Không còn phòng học tạm, phòng học mượn; thêm {k} trường đạt chuẩn quốc gia"},
	{'i', "Xây dựng trạm y tế xã đạt Bộ tiêu chí quốc gia về y tế {A}",
	 "100% trạm y tế xã đạt Bộ tiêu chí quốc gia về y tế"},
	{'i', "Đổi mới đào tạo nghề, giải quyết việc làm cho lao động nông thôn {A}",
	 "Mỗi năm giải quyết việc làm cho ít nhất {num}0 lao động"},
	{'b', "Chấm dứt tình trạng tảo hôn, hôn nhân cận huyết thống {A}",
	 "Không còn trường hợp tảo hôn, hôn nhân cận huyết thống"},
	{'i', "Ứng dụng bệnh án điện tử và khám, chữa bệnh từ xa",
	 "100% bệnh viện công lập triển khai bệnh án điện tử"},
	{'b', "Di dời dân cư ra khỏi vùng có nguy cơ sạt lở cao tại {X}",
	 "100% hộ trong vùng nguy cơ sạt lở được di dời, ổn định cuộc sống"},
};

static const struct {
	const struct task_tpl *tpl;
	int n;
} field_tpl[F_COUNT] = {
	{socio_tpl, COUNT(socio_tpl)},
	{defence_tpl, COUNT(defence_tpl)},
	{party_tpl, COUNT(party_tpl)},
	{lives_tpl, COUNT(lives_tpl)},
};

static const char *const why_tpl[] = {
	"Việc tồn tại nhiều năm, nhiều lần đưa vào kế hoạch nhưng chưa giải quyết được do {cause}.",
	"Điểm nghẽn ảnh hưởng trực tiếp đến đời sống của Nhân dân; nguyên nhân chủ yếu do {cause}.",
	"Việc lớn, việc khó, liên quan đến nhiều cấp, nhiều ngành; vướng mắc do {cause}.",
	"Nhiệm vụ trọng tâm của đơn vị; khó khăn lớn nhất là {cause}.",
};

static const char *const causes[] = {
	"nguồn lực đầu tư hạn chế", "cơ chế, chính sách chưa đồng bộ",
	"một bộ phận Nhân dân chưa đồng thuận", "hồ sơ, thủ tục tồn tại từ trước năm 2000",
	"địa hình chia cắt, giao thông đi lại khó khăn",
	"sự phối hợp giữa các cơ quan chưa chặt chẽ", "thiếu quỹ đất tái định cư",
	"trình độ dân trí ở vùng cao còn hạn chế",
};
static const char *const crops[] = {
	"cam sành", "chè Shan tuyết", "bưởi Xuân Vân", "keo lai", "mía nguyên liệu", "lạc",
	"lúa chất lượng cao", "dược liệu dưới tán rừng", "chè xanh", "nhãn", "cá đặc sản lòng hồ",
};
static const char *const projects[] = {
	"Khu công nghiệp Long Bình An", "đường cao tốc Tuyên Quang - Phú Thọ",
	"đường cao tốc Tuyên Quang - Hà Giang", "Khu du lịch suối khoáng Mỹ Lâm",
	"Khu du lịch sinh thái Na Hang - Lâm Bình", "Cụm công nghiệp Sơn Nam",
	"Khu di tích quốc gia đặc biệt Tân Trào", "cầu Tình Húc", "đường tránh Quốc lộ 2",
	"Bệnh viện Đa khoa tỉnh cơ sở 2", "hồ chứa nước Khuôn Hà", "khu tái định cư Nông Tiến",
};
static const char *const roads[] = {
	"Quốc lộ 2", "Quốc lộ 37", "Quốc lộ 2C", "Quốc lộ 279", "đường tỉnh ĐT.185",
	"đường tỉnh ĐT.176", "đường Tân Trào - Hồng Thái",
};
static const char *const rivers[] = {"sông Lô", "sông Gâm", "sông Phó Đáy"};

static const char *const done_start[] = {
	"Đã xây dựng kế hoạch thực hiện, phân công cụ thể cho các tổ chức, cá nhân",
	"Đã thành lập tổ công tác, khảo sát thực trạng tại {X}",
	"Đã tổ chức hội nghị triển khai, quán triệt đến cán bộ chủ chốt",
	"Đã ban hành kế hoạch, xác định rõ mục tiêu, lộ trình và giải pháp",
};
static const char *const done_progress[] = {
	"Ước thực hiện đạt {p}% khối lượng theo kế hoạch",
	"Đã tổ chức {k} cuộc đối thoại trực tiếp với người dân tại {X}",
	"Đã vận động được {num} hộ dân đồng thuận thực hiện",
	"Đã hoàn thiện hồ sơ, trình cấp có thẩm quyền phê duyệt",
	"Đã kiểm tra, đôn đốc tại {k} đơn vị; kịp thời chấn chỉnh tồn tại",
	"Đã huy động {num} ngày công và nguồn xã hội hóa {k} tỷ đồng",
	"Tiếp tục triển khai các giải pháp theo kế hoạch; đạt {p}% chỉ tiêu",
	"Đã sơ kết, đánh giá kết quả; nhân rộng cách làm hiệu quả tại {X}",
};
static const char *const done_stalled[] = {
	"Chưa có chuyển biến so với kỳ báo cáo trước",
	"Tiến độ chậm so với kế hoạch do vướng mắc chưa được tháo gỡ",
	"Đang chờ ý kiến của cơ quan có thẩm quyền; giữ nguyên {p}% như kỳ trước",
	"Tạm dừng một số hạng mục để điều chỉnh phương án",
};
static const char *const difficulties[] = {
	"Nguồn vốn bố trí chậm, chưa đáp ứng yêu cầu tiến độ",
	"Một số hộ dân chưa đồng thuận với phương án bồi thường, hỗ trợ",
	"Mưa lũ kéo dài ảnh hưởng đến tiến độ thi công",
	"Vướng mắc thủ tục chuyển mục đích sử dụng đất rừng",
	"Thiếu cán bộ có chuyên môn phù hợp",
	"Hướng dẫn của cấp trên về cơ chế thực hiện chưa cụ thể",
	"Giá vật liệu xây dựng tăng cao",
	"Sự phối hợp giữa các cơ quan liên quan chưa kịp thời",
	"Hồ sơ đất đai qua nhiều thời kỳ, thiếu tài liệu gốc",
};
static const char *const proposals[] = {
	"Đề nghị {sup} chỉ đạo các cơ quan liên quan phối hợp tháo gỡ",
	"Đề nghị Ủy ban nhân dân tỉnh bố trí bổ sung vốn",
	"Đề nghị các sở, ngành hướng dẫn cụ thể thủ tục",
	"Đề nghị {sup} cho phép điều chỉnh thời hạn hoàn thành",
	"Đề nghị tăng cường lực lượng hỗ trợ tại {X}",
	"Đề nghị {sup} tổ chức kiểm tra, đánh giá tại cơ sở",
};

/* ---- the province in memory ---- */

struct unit {
	char code[40];
	const char *name, *level, *valid_from;
	int parent;                /* index, -1 for the root */
	int body;                  /* index in bodies, or -1 */
	int district;              /* index in districts for districts and communes, else -1 */
	int commune;               /* index in the district's communes, or -1 */
	const char *renamed, *event;
	int merged_into;           /* index, -1 for none */
	const char *closed;        /* date, or NULL */
	int64_t id;                /* once inserted */
};

#define MAX_POSTINGS 4

struct posting {
	int unit;
	char title[200];
	char from[DATE_LEN];
};

struct cadre {
	char code[16];
	char name[64];
	int manager;               /* unit index */
	int role, first_role;      /* now and in the first post; see ROLE_SECRETARY */
	const char *tpl;           /* title template of the current post */
	int npost;
	struct posting post[MAX_POSTINGS];
	int ntasks;                /* tasks in the 2021-2025 term */
	int64_t id;
};

struct task {
	int owner, unit, term, field;
	char kind;
	char title[400], product[400], description[400];
	char due[DATE_LEN], created[TIMESTAMP_LEN];
	int district, commune;     /* the places its text names ({D}, {X}), or -1 */
	int percent, nupdates;
	char last[TIMESTAMP_LEN];  /* reported_at of the newest update, "" before any */
	int64_t id;
};

enum mood { M_START, M_PROGRESS, M_STALLED, M_DONE };

struct update {
	char at[TIMESTAMP_LEN];
	int task;                  /* index in the province's tasks */
	int seq;                   /* 0.. within the task */
	int percent;
	int mood;                  /* enum mood */
	uint64_t seed;             /* for its text */
};

struct province {
	char suffix[16];           /* "" or "-P2", ... */
	char root_name[80];
	struct rng rng;            /* structure and task content */
	uint64_t seed;             /* for the per-task streams of progress updates */
	struct unit units[1 + NBODIES + NDISTRICTS * (1 + NCOMMUNES)];
	int nunits;
	int district_unit[NDISTRICTS];
	struct cadre cadres[UPPER_CADRES + LOWER_CADRES];
	int ncadres;
	struct task tasks[COUNT(heads_2020) + UPPER_TASKS + LOWER_TASKS];
	int ntasks;
	struct update *updates;    /* grows; owned */
	size_t nupdates, cap;
	long present;              /* the demo's present day, in date_days */
};

/* ---- text from templates ---- */

/* An output buffer that truncates at a character boundary rather than
 * overflowing (a bug in the templates, never in the data). */
struct out {
	char *s;
	size_t cap, n;
};

static void put(struct out *o, const char *s, size_t len)
{
	if (o->n + len >= o->cap) {
		len = o->cap - 1 - o->n;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(o->s + o->n, s, len);
	o->n += len;
	o->s[o->n] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_int(struct out *o, int v)
{
	char b[16];

	snprintf(b, sizeof(b), "%d", v);
	puts_(o, b);
}

/* What the tokens of one text resolve to.  Picks are made on first use and
 * kept, so a title and its product name the same commune or project. */
struct ctx {
	const struct province *pv;
	int unit;                  /* the unit the text is about */
	const char *date;          /* names as of this day */
	int manager;               /* unit index of the owner's manager, or -1 */
	int district, commune;     /* -1 until picked */
	int percent;
	const char *product;
	struct rng *rng;           /* NULL for texts without random picks */
	int k, num, pct, ha;       /* -1 until picked */
	const char *crop, *proj, *road, *river, *cause;
};

static void ctx_init(struct ctx *c, const struct province *pv, int unit, const char *date,
		     struct rng *r)
{
	memset(c, 0, sizeof(*c));
	c->pv = pv;
	c->unit = unit;
	c->date = date;
	c->manager = -1;
	c->district = pv->units[unit].district;
	c->commune = pv->units[unit].commune;
	c->rng = r;
	c->k = c->num = c->pct = c->ha = -1;
}

/* The name unit u bears on `date`. */
static const char *unit_name(const struct province *pv, int u, const char *date)
{
	const struct unit *x = &pv->units[u];

	if (x->renamed && strcmp(date, x->event) >= 0)
		return x->renamed;
	return x->name;
}

static const struct district_def *ctx_district(struct ctx *c)
{
	if (c->district < 0)
		c->district = rng_below(c->rng, NDISTRICTS);
	return &districts[c->district];
}

static const char *ctx_commune(struct ctx *c)
{
	const struct district_def *d = ctx_district(c);

	if (c->commune < 0)
		c->commune = rng_below(c->rng, NCOMMUNES);
	return d->communes[c->commune];
}

static void expand(struct out *o, const char *tpl, struct ctx *c);

/* "huyện Sơn Dương", or "thành phố Tuyên Quang". */
static void put_district(struct out *o, const struct district_def *d)
{
	puts_(o, d->city ? "thành phố " : "huyện ");
	puts_(o, d->place);
}

static void put_token(struct out *o, const char *key, size_t n, struct ctx *c)
{
	const struct unit *u = &c->pv->units[c->unit];
	const struct district_def *d = u->district >= 0 ? &districts[u->district] : NULL;

#define IS(s) (n == sizeof(s) - 1 && memcmp(key, s, n) == 0)
#define LAZY(field, expr) (c->field = c->field ? c->field : (expr))
#define LAZY_INT(field, expr) (c->field = c->field >= 0 ? c->field : (expr))
	if (IS("U") && d && u->commune < 0) {
		put_district(o, d); /* in running text: "huyện Sơn Dương" */
	} else if (IS("U") && d) {
		expand(o, "{x} {C}", c);
	} else if (IS("N") || IS("U")) {
		puts_(o, unit_name(c->pv, c->unit, c->date));
	} else if (IS("P") && d) {
		puts_(o, d->place);
	} else if (IS("C") && d && u->commune >= 0) {
		puts_(o, d->communes[u->commune]);
	} else if (IS("HU") && d) {
		puts_(o, d->city ? "Thành ủy" : "Huyện ủy");
	} else if (IS("h") && d) {
		puts_(o, d->city ? "thành phố" : "huyện");
	} else if (IS("x") && d) {
		puts_(o, d->city ? "phường" : "xã");
	} else if (IS("A")) {
		puts_(o, "trên địa bàn ");
		if (!d)
			puts_(o, "tỉnh");
		else if (u->commune < 0)
			put_district(o, d);
		else
			expand(o, "{x} {C}", c);
	} else if (IS("X")) {
		const char *name = ctx_commune(c);

		puts_(o, districts[c->district].city ? "phường " : "xã ");
		puts_(o, name);
		if (!d) {
			puts_(o, ", ");
			put_district(o, &districts[c->district]);
		}
	} else if (IS("D")) {
		put_district(o, ctx_district(c));
	} else if (IS("sup")) {
		const struct unit *m = &c->pv->units[c->manager];

		puts_(o, "Ban Thường vụ ");
		if (m->district < 0) {
			puts_(o, "Tỉnh ủy");
		} else {
			puts_(o, districts[m->district].city ? "Thành ủy " : "Huyện ủy ");
			puts_(o, districts[m->district].place);
		}
	} else if (IS("p")) {
		put_int(o, c->percent);
	} else if (IS("S")) {
		puts_(o, c->product);
	} else if (IS("k")) {
		put_int(o, LAZY_INT(k, rng_range(c->rng, 2, 9)));
	} else if (IS("num")) {
		put_int(o, LAZY_INT(num, rng_range(c->rng, 20, 200)));
	} else if (IS("pct")) {
		put_int(o, LAZY_INT(pct, 80 + 5 * rng_range(c->rng, 0, 4)));
	} else if (IS("ha")) {
		put_int(o, LAZY_INT(ha, 10 * rng_range(c->rng, 5, 100)));
	} else if (IS("crop")) {
		puts_(o, LAZY(crop, PICK(c->rng, crops)));
	} else if (IS("proj")) {
		puts_(o, LAZY(proj, PICK(c->rng, projects)));
	} else if (IS("road")) {
		puts_(o, LAZY(road, PICK(c->rng, roads)));
	} else if (IS("river")) {
		puts_(o, LAZY(river, PICK(c->rng, rivers)));
	} else if (IS("cause")) {
		puts_(o, LAZY(cause, PICK(c->rng, causes)));
	} else {
		/* A template naming a token its unit cannot fill: a bug here. */
		fprintf(stderr, "demo: template token {%.*s} does not apply\n", (int)n, key);
		abort();
	}
#undef IS
#undef LAZY
#undef LAZY_INT
}

/* Appends tpl to o with its {tokens} resolved through c. */
static void expand(struct out *o, const char *tpl, struct ctx *c)
{
	while (*tpl) {
		const char *open = strchr(tpl, '{'), *close;

		if (!open) {
			puts_(o, tpl);
			return;
		}
		put(o, tpl, (size_t)(open - tpl));
		close = strchr(open, '}');
		if (!close) {
			fprintf(stderr, "demo: unterminated token in template \"%s\"\n", tpl);
			abort();
		}
		put_token(o, open + 1, (size_t)(close - open - 1), c);
		tpl = close + 1;
	}
}

static void expand_into(char *buf, size_t cap, const char *tpl, struct ctx *c)
{
	struct out o = {buf, cap, 0};

	buf[0] = '\0';
	expand(&o, tpl, c);
}

/* ---- dates ---- */

static void day_string(long day, char out[DATE_LEN])
{
	date_from_days(day, out);
}

/* A moment on `day` during office hours in Vietnam (07:00-17:00, UTC+7). */
static void moment(long day, int seconds_after_7am, char out[TIMESTAMP_LEN])
{
	date_timestamp((time_t)day * 86400 + seconds_after_7am % 36000, out);
}

static long random_day(struct rng *r, const char *from, const char *to)
{
	return rng_range(r, (int)date_days(from), (int)date_days(to));
}

/* ---- building one province ---- */

static int find_unit(const struct province *pv, const char *code)
{
	size_t n = strlen(code);

	for (int i = 0; i < pv->nunits; i++)
		if (strncmp(pv->units[i].code, code, n) == 0 &&
		    strcmp(pv->units[i].code + n, pv->suffix) == 0)
			return i;
	fprintf(stderr, "demo: no unit %s in the tables\n", code);
	abort();
}

static int add_unit(struct province *pv, const char *code, const char *name, const char *level,
		    const char *valid_from, int parent)
{
	struct unit *u = &pv->units[pv->nunits];
	char suffix[sizeof(pv->suffix)];

	memcpy(suffix, pv->suffix, sizeof(suffix)); /* not inside *pv, for snprintf */
	memset(u, 0, sizeof(*u));
	snprintf(u->code, sizeof(u->code), "%s%s", code, suffix);
	u->name = name;
	u->level = level;
	u->valid_from = valid_from;
	u->parent = parent;
	u->body = u->district = u->commune = u->merged_into = -1;
	return pv->nunits++;
}

static void build_units(struct province *pv)
{
	/* Stored names of districts and communes: the same for every province. */
	static char names[NDISTRICTS][1 + NCOMMUNES][48];

	for (int b = 0; b < NBODIES; b++) {
		const struct body_def *bd = &bodies[b];
		int u = add_unit(pv, bd->code, b == 0 ? pv->root_name : bd->name, bd->level,
				 bd->valid_from, b == 0 ? -1 : 0);

		pv->units[u].body = b;
		pv->units[u].renamed = bd->renamed;
		pv->units[u].event = bd->event;
	}
	for (int b = 0; b < NBODIES; b++)
		if (bodies[b].merged_into) {
			pv->units[b].merged_into = find_unit(pv, bodies[b].merged_into);
			pv->units[b].closed = bodies[b].event;
		}
	for (int d = 0; d < NDISTRICTS; d++) {
		const struct district_def *dd = &districts[d];
		int u;

		snprintf(names[d][0], sizeof(names[d][0]), "%s %s", dd->city ? "Thành phố" : "Huyện",
			 dd->place);
		u = add_unit(pv, dd->code, names[d][0], dd->city ? "thành phố" : "huyện",
			     dd->valid_from, 0);
		pv->units[u].district = d;
		pv->units[u].closed = DEMO_ABOLITION;
		pv->district_unit[d] = u;
	}
	/* Communes follow the districts.  Their parent is the root: the tree
	 * keeps only the current parent, and they moved there when the
	 * districts closed. */
	for (int d = 0; d < NDISTRICTS; d++) {
		const struct district_def *dd = &districts[d];

		for (int c = 0; c < NCOMMUNES; c++) {
			char code[24];
			int u;

			snprintf(names[d][1 + c], sizeof(names[d][1 + c]), "%s %s",
				 dd->city ? "Phường" : "Xã", dd->communes[c]);
			snprintf(code, sizeof(code), "%s-%s-%02d", dd->city ? "P" : "X", dd->abbr, c + 1);
			u = add_unit(pv, code, names[d][1 + c], dd->city ? "phường" : "xã", NULL, 0);
			pv->units[u].district = d;
			pv->units[u].commune = c;
		}
	}
}

/* The unit of commune c of district d. */
static int commune_unit(const struct province *pv, int d, int c)
{
	return pv->district_unit[NDISTRICTS - 1] + 1 + d * NCOMMUNES + c;
}

static bool name_taken(const struct province *pv, const char *name)
{
	for (int i = 0; i < pv->ncadres; i++)
		if (strcmp(pv->cadres[i].name, name) == 0)
			return true;
	return false;
}

/* A full name not yet used in the province (after 50 tries, a repeat: real
 * provinces have namesakes too). */
static void make_name(struct province *pv, char *out, size_t cap)
{
	struct rng *r = &pv->rng;

	for (int tries = 0; tries < 50; tries++) {
		const char *family = PICK(r, family_names);

		if (!rng_chance(r, 22))
			snprintf(out, cap, "%s %s %s", family, PICK(r, male_middle), PICK(r, male_given));
		else if (rng_chance(r, 30))
			snprintf(out, cap, "%s Thị %s %s", family, PICK(r, female_second),
				 PICK(r, female_given));
		else
			snprintf(out, cap, "%s %s %s", family, PICK(r, female_middle),
				 PICK(r, female_given));
		if (!name_taken(pv, out))
			return;
	}
}

/* Starts a post for cadre c on `date`; the previous post ends the day before. */
static void post(struct province *pv, struct cadre *c, int unit, const char *tpl, int role,
		 const char *date)
{
	struct posting *p = &c->post[c->npost];
	struct ctx cx;

	if (c->npost == MAX_POSTINGS || (c->npost && strcmp(date, c->post[c->npost - 1].from) <= 0)) {
		fprintf(stderr, "demo: postings of %s out of order\n", c->code);
		abort();
	}
	ctx_init(&cx, pv, unit, date, NULL);
	p->unit = unit;
	memcpy(p->from, date, DATE_LEN - 1);
	p->from[DATE_LEN - 1] = '\0';
	expand_into(p->title, sizeof(p->title), tpl, &cx);
	c->npost++;
	c->tpl = tpl;
	c->role = role;
}

static int cur_unit(const struct cadre *c)
{
	return c->post[c->npost - 1].unit;
}

static void add_cadre(struct province *pv, int *serial, int unit, const char *tpl, int role,
		      int manager)
{
	struct cadre *c = &pv->cadres[pv->ncadres];
	char since[DATE_LEN];

	memset(c, 0, sizeof(*c));
	snprintf(c->code, sizeof(c->code), "CB%04d", ++*serial);
	make_name(pv, c->name, sizeof(c->name));
	pv->ncadres++;
	c->manager = manager;
	day_string(random_day(&pv->rng, "2015-06-01", "2021-03-31"), since);
	post(pv, c, unit, tpl, role, since);
	c->first_role = role;
}

/* The cadre holding `role` in `unit`: in the first post (first) or now. */
static int holder(const struct province *pv, int unit, int role, bool first)
{
	for (int i = 0; i < pv->ncadres; i++) {
		const struct cadre *c = &pv->cadres[i];

		if (first ? c->post[0].unit == unit && c->first_role == role
			  : cur_unit(c) == unit && c->role == role)
			return i;
	}
	fprintf(stderr, "demo: nobody holds role %d in %s\n", role, pv->units[unit].code);
	abort();
}

/* The cadres and every post they held, event by event in date order:
 * rotations, the 2025 mergers of boards and departments, the end of the
 * district level. */
static void build_cadres(struct province *pv, int *serial)
{
	int upper = 0;

	for (int b = 0; b < NBODIES; b++)
		for (int j = 0; j < COUNT(bodies[b].posts) && bodies[b].posts[j]; j++)
			add_cadre(pv, serial, b, bodies[b].posts[j], j, 0);
	for (int d = 0; d < NDISTRICTS; d++) {
		int du = pv->district_unit[d];

		for (int k = 0; k < COUNT(upper_roles); k++)
			add_cadre(pv, serial, du, upper_roles[k].title, ROLE_SECRETARY + k, 0);
		for (int k = 0; k < districts[d].lower; k++) {
			const struct role_def *rd = &lower_roles[k];

			add_cadre(pv, serial, rd->commune < 0 ? du : commune_unit(pv, d, rd->commune),
				  rd->title, 200 + k, du);
		}
	}
	for (int i = 0; i < pv->ncadres; i++)
		upper += pv->cadres[i].manager == 0;
	if (upper != UPPER_CADRES || pv->ncadres - upper != LOWER_CADRES) {
		fprintf(stderr, "demo: the tables give %d + %d cadres, not %d + %d\n", upper,
			pv->ncadres - upper, UPPER_CADRES, LOWER_CADRES);
		abort();
	}
	/* The 2020 heads were in post before 2020. */
	for (int i = 0; i < COUNT(heads_2020); i++) {
		struct cadre *c =
			&pv->cadres[holder(pv, find_unit(pv, heads_2020[i].unit), heads_2020[i].role, true)];

		day_string(random_day(&pv->rng, "2015-06-01", "2019-12-01"), c->post[0].from);
	}
	for (int s = 0; s < COUNT(swaps); s++) {
		int ua = find_unit(pv, swaps[s].a), ub = find_unit(pv, swaps[s].b);
		struct cadre *a = &pv->cadres[holder(pv, ua, swaps[s].role, false)];
		struct cadre *b = &pv->cadres[holder(pv, ub, swaps[s].role, false)];
		const char *ta = a->tpl, *tb = b->tpl;

		post(pv, a, ub, tb, swaps[s].role, swaps[s].date);
		post(pv, b, ua, ta, swaps[s].role, swaps[s].date);
	}
	/* Renames before mergers: a cadre merged in on the day of a rename
	 * gets one post, under the new name. */
	for (int i = 0; i < pv->ncadres; i++) {
		struct cadre *c = &pv->cadres[i];
		const struct unit *u = &pv->units[cur_unit(c)];

		if (u->renamed)
			post(pv, c, cur_unit(c), c->tpl, c->role, u->event);
	}
	for (int i = 0; i < pv->ncadres; i++) {
		struct cadre *c = &pv->cadres[i];
		const struct unit *u = &pv->units[cur_unit(c)];

		if (u->merged_into >= 0)
			post(pv, c, u->merged_into, bodies[pv->units[u->merged_into].body].posts[1], 1,
			     u->event);
	}
	for (int i = 0; i < pv->ncadres; i++) {
		struct cadre *c = &pv->cadres[i];
		const struct unit *u = &pv->units[cur_unit(c)];
		const struct role_def *rd;

		if (u->district < 0 || c->role < ROLE_SECRETARY)
			continue;
		rd = c->role < 200 ? &upper_roles[c->role - ROLE_SECRETARY] : &lower_roles[c->role - 200];
		post(pv, c, commune_unit(pv, u->district, rd->then_commune), rd->then_title, c->role,
		     DEMO_ABOLITION);
	}
}

/* Gives `total` term tasks to the n cadres listed in idx: one each, then
 * the rest at random, at most TASKS_PER_CADRE_MAX each. */
static void spread_tasks(struct province *pv, const int *idx, int n, int total)
{
	int left = total - n;

	for (int i = 0; i < n; i++)
		pv->cadres[idx[i]].ntasks = 1;
	while (left > 0) {
		struct cadre *c = &pv->cadres[idx[rng_below(&pv->rng, n)]];

		if (c->ntasks < TASKS_PER_CADRE_MAX) {
			c->ntasks++;
			left--;
		}
	}
}

/* The unit cadre c was posted in on `date`. */
static int unit_on(const struct cadre *c, const char *date)
{
	int u = c->post[0].unit;

	for (int i = 0; i < c->npost; i++)
		if (strcmp(c->post[i].from, date) <= 0)
			u = c->post[i].unit;
	return u;
}

/* Adds a task of `term` for cadre `owner`, registered on `created` (the
 * n-th of the day).  used[0..n) holds the templates the owner already has. */
static void make_task(struct province *pv, int owner, int term, const char *created, int n,
		      int *used)
{
	const struct cadre *c = &pv->cadres[owner];
	struct task *t = &pv->tasks[pv->ntasks++];
	const struct task_tpl *tp;
	struct rng *r = &pv->rng;
	int unit = unit_on(c, created), lean, pick;
	struct ctx cx;

	memset(t, 0, sizeof(*t));
	lean = pv->units[unit].body >= 0 ? bodies[pv->units[unit].body].field : F_ANY;
	for (int tries = 0;; tries++) {
		int f = lean >= 0 && rng_chance(r, 75) ? lean : rng_below(r, F_COUNT), dup = 0;

		pick = f * 100 + rng_below(r, field_tpl[f].n);
		for (int i = 0; i < n; i++)
			dup |= used[i] == pick;
		if (!dup || tries == 100)
			break;
	}
	used[n] = pick;
	tp = &field_tpl[pick / 100].tpl[pick % 100];
	t->owner = owner;
	t->unit = unit;
	t->term = term;
	t->field = pick / 100;
	t->kind = tp->kind;
	moment(date_days(created), 3600 + n * 420 + rng_below(r, 400), t->created);
	ctx_init(&cx, pv, unit, created, r);
	cx.manager = c->manager;
	expand_into(t->title, sizeof(t->title), tp->title, &cx);
	expand_into(t->product, sizeof(t->product), tp->product, &cx);
	if (rng_chance(r, 75))
		expand_into(t->description, sizeof(t->description), PICK(r, why_tpl), &cx);
	t->district = cx.district;
	t->commune = cx.commune;
	if (term == 0)
		strcpy(t->due, rng_chance(r, 70) ? terms[0].end : "2020-09-30");
	else
		strcpy(t->due, rng_chance(r, 40) ? terms[1].end : PICK(r, quarter_ends));
}

static void build_tasks(struct province *pv)
{
	int used[TASKS_PER_CADRE_MAX], upper[UPPER_CADRES], lower[LOWER_CADRES], nu = 0, nl = 0;
	char day[DATE_LEN];

	for (int i = 0; i < COUNT(heads_2020); i++) {
		int u = find_unit(pv, heads_2020[i].unit);

		day_string(random_day(&pv->rng, terms[0].assign_from, terms[0].assign_to), day);
		make_task(pv, holder(pv, u, heads_2020[i].role, true), 0, day, 0, used);
	}
	for (int i = 0; i < pv->ncadres; i++) {
		if (pv->cadres[i].manager == 0)
			upper[nu++] = i;
		else
			lower[nl++] = i;
	}
	spread_tasks(pv, upper, nu, UPPER_TASKS);
	spread_tasks(pv, lower, nl, LOWER_TASKS);
	for (int i = 0; i < pv->ncadres; i++) {
		day_string(random_day(&pv->rng, terms[1].assign_from, terms[1].assign_to), day);
		for (int k = 0; k < pv->cadres[i].ntasks; k++)
			make_task(pv, i, 1, day, k, used);
	}
}

/* ---- progress updates ---- */

static int push_update(struct province *pv, struct update **out)
{
	if (pv->nupdates == pv->cap) {
		size_t cap = pv->cap ? pv->cap * 2 : 16384;
		struct update *u = realloc(pv->updates, cap * sizeof(*u));

		if (!u)
			return -1;
		pv->updates = u;
		pv->cap = cap;
	}
	*out = &pv->updates[pv->nupdates++];
	return 0;
}

/* The share of the work done, in permille, `part` days into `whole`, along
 * curve 0 (steady), 1 (fast start) or 2 (slow start).  Integers only, so
 * every platform computes the same percents. */
static int curve(long part, long whole, int shape)
{
	long f = whole > 0 ? part * 1000 / whole : 1000;

	f = f < 0 ? 0 : f > 1000 ? 1000 : f;
	if (shape == 1)
		return (int)(1000 - (1000 - f) * (1000 - f) / 1000);
	if (shape == 2)
		return (int)(f * f / 1000);
	return (int)f;
}

static long min_l(long a, long b)
{
	return a < b ? a : b;
}

/*
 * Plans the progress reports of task ti.  An office reports every few
 * weeks from soon after registration; the task ends one of five ways:
 * never reported (2%), done by the deadline (56%), done late (10%), stalled
 * at some percent with the same figure reported again and again (14%),
 * still behind when reporting stops (12%), or still reporting on the
 * present day (6%).  Percent never goes down, and
 * nothing is reported after the term's follow-up day.
 */
static int plan_updates(struct province *pv, int ti)
{
	struct task *t = &pv->tasks[ti];
	const struct term_def *tm = &terms[t->term];
	struct rng r = rng_make(pv->seed, 1 + (uint64_t)ti);
	long start = date_days(t->created) + rng_range(&r, 15, 45);
	long due = date_days(t->due), end, stall = 0;
	long follow = tm->follow_up ? date_days(tm->follow_up) : pv->present;
	int outcome = rng_below(&r, 100), target = 100, prev = 0, seq = 0;
	int shape = rng_below(&r, 3);

	if (outcome < 2)
		return 0;
	if (due < start + 60)
		due = start + 60;
	if (outcome < 58) {
		end = due - rng_range(&r, 0, (int)min_l(300, due - start - 60));
	} else if (outcome < 68) {
		end = min_l(due + rng_range(&r, 30, 300), follow);
	} else if (outcome < 82) {
		target = 5 * rng_range(&r, 3, 15);
		stall = start + (due - start) * rng_range(&r, 30, 80) / 100;
		end = min_l(due + rng_range(&r, 0, 400), follow);
	} else if (outcome < 94) {
		target = 5 * rng_range(&r, 7, 19);
		end = min_l(due + rng_range(&r, 0, 300), follow);
	} else {
		/* Still at it on the present day, whenever that is. */
		target = 5 * rng_range(&r, 12, 19);
		end = follow;
	}
	for (long day = start; day <= end; seq++) {
		long next = day + rng_range(&r, tm->step_min, tm->step_max);
		bool last = next > end;
		int f = curve(day - start, (stall ? stall : end) - start, shape);
		int p = last ? target : target * f / 5000 * 5;
		struct update *u;

		if (p > target || (!last && p == 100))
			p = target == 100 ? 95 : target;
		if (p < prev)
			p = prev;
		if (push_update(pv, &u) < 0)
			return -1;
		moment(day, rng_below(&r, 36000), u->at);
		u->task = ti;
		u->seq = seq;
		u->percent = p;
		u->mood = p == 100 ? M_DONE : seq == 0 ? M_START : p == prev ? M_STALLED : M_PROGRESS;
		u->seed = rng_next(&r);
		prev = p;
		t->percent = p;
		t->nupdates = seq + 1;
		memcpy(t->last, u->at, TIMESTAMP_LEN);
		day = next;
	}
	return 0;
}

static int update_order(const void *a, const void *b)
{
	const struct update *x = a, *y = b;
	int c = strcmp(x->at, y->at);

	if (c)
		return c;
	if (x->task != y->task)
		return x->task < y->task ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Lowercases the letter s starts with, for a clause after a semicolon: ASCII,
 * or the capitals our phrases begin with (Đ, Ư). */
static void lower_first(char *s)
{
	unsigned char *b = (unsigned char *)s;

	if (b[0] >= 'A' && b[0] <= 'Z')
		b[0] = (unsigned char)(b[0] + 32);
	else if ((b[0] == 0xc4 && b[1] == 0x90) || (b[0] == 0xc6 && b[1] == 0xaf))
		b[1]++; /* U+0110 -> U+0111, U+01AF -> U+01B0 */
}

/* Writes the three texts of update u into done, diff and prop (cap bytes each). */
static void update_text(const struct province *pv, const struct update *u, char *done,
			char *diff, char *prop, size_t cap)
{
	const struct task *t = &pv->tasks[u->task];
	struct rng r = {u->seed};
	struct out o = {done, cap, 0};
	struct ctx cx;
	int pd = 0, pp = 0;

	ctx_init(&cx, pv, t->unit, t->created, &r);
	cx.manager = pv->cadres[t->owner].manager;
	if (t->district >= 0) {
		cx.district = t->district;
		cx.commune = t->commune;
	}
	cx.percent = u->percent;
	cx.product = t->product;
	done[0] = diff[0] = prop[0] = '\0';
	switch (u->mood) {
	case M_START:
		expand(&o, PICK(&r, done_start), &cx);
		pd = 15;
		break;
	case M_PROGRESS: {
		int a = rng_below(&r, COUNT(done_progress)), b = rng_below(&r, COUNT(done_progress));

		expand(&o, done_progress[a], &cx);
		/* A second clause, unless both would quote the percent. */
		if (a != b && rng_chance(&r, 40) &&
		    !(strstr(done_progress[a], "{p}") && strstr(done_progress[b], "{p}"))) {
			size_t at;

			puts_(&o, "; ");
			at = o.n;
			expand(&o, done_progress[b], &cx);
			lower_first(done + at);
		}
		pd = 30;
		break;
	}
	case M_STALLED:
		expand(&o, PICK(&r, done_stalled), &cx);
		pd = 100;
		break;
	default:
		expand(&o, "Hoàn thành nhiệm vụ được giao. Sản phẩm: {S}", &cx);
		if (rng_chance(&r, 60))
			expand_into(prop, cap, "Đề nghị {sup} kiểm tra, đánh giá kết quả thực hiện.", &cx);
		break;
	}
	puts_(&o, ".");
	if (rng_chance(&r, pd)) {
		struct out od = {diff, cap, 0};

		expand(&od, PICK(&r, difficulties), &cx);
		puts_(&od, ".");
		pp = u->mood == M_STALLED ? 90 : 70;
	}
	if (rng_chance(&r, pp)) {
		struct out op = {prop, cap, 0};

		expand(&op, PICK(&r, proposals), &cx);
		puts_(&op, ".");
	}
}

/* ---- loading ---- */

#define UNITS_CREATED "2020-01-06T01:30:00Z" /* when the office entered the tree */

struct load {
	struct db *db;
	struct rpc_error err;
	int scale;
	char present[DATE_LEN];    /* the demo's present day: see the top of the file */
	bool tty;                  /* stderr is a terminal: show progress there */
	long tasks_done, tasks_total, updates_done;
	size_t uncommitted;        /* updates since the last commit */
	int commits;               /* transactions committed before the last */
	int64_t term_id[COUNT(terms)];
	struct db_demo_counts found; /* what the database held before */
	bool not_empty;            /* ... and it was not nothing: refused */
	struct timespec t0, shown; /* start, and the last progress line */
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void show_progress(struct load *ld, bool force)
{
	if (!ld->tty || (!force && seconds_since(&ld->shown) < 0.1))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ld->shown);
	fprintf(stderr, "\rdemo: %ld/%ld tasks, %ld updates", ld->tasks_done, ld->tasks_total,
		ld->updates_done);
	fflush(stderr);
}

/* "YYYY-MM-DD" + a fixed time of day. */
static void at_time(const char *date, const char *hms, char out[TIMESTAMP_LEN])
{
	snprintf(out, TIMESTAMP_LEN, "%.10sT%sZ", date, hms);
}

static int load_units(struct load *ld, struct province *pv)
{
	int rc;

	for (int i = 0; i < pv->nunits; i++) {
		struct unit *u = &pv->units[i];
		int64_t parent = u->parent >= 0 ? pv->units[u->parent].id : 0;

		if ((rc = db_demo_unit(ld->db, u->code, u->name, u->level, parent, u->valid_from,
				       UNITS_CREATED, &u->id, &ld->err)) != RPC_OK)
			return rc;
	}
	for (int i = 0; i < pv->nunits; i++) {
		const struct unit *u = &pv->units[i];
		int64_t into = u->merged_into >= 0 ? pv->units[u->merged_into].id : 0;

		if (u->renamed &&
		    (rc = db_demo_unit_rename(ld->db, u->id, u->renamed, u->event, &ld->err)) != RPC_OK)
			return rc;
		if (u->closed &&
		    (rc = db_demo_unit_close(ld->db, u->id, u->closed, into, &ld->err)) != RPC_OK)
			return rc;
	}
	return RPC_OK;
}

static int load_cadres(struct load *ld, struct province *pv)
{
	int rc;

	for (int i = 0; i < pv->ncadres; i++) {
		struct cadre *c = &pv->cadres[i];
		const struct posting *now = &c->post[c->npost - 1];
		char created[TIMESTAMP_LEN], updated[TIMESTAMP_LEN];
		struct db_demo_cadre row = {
			.code = c->code, .full_name = c->name, .title = now->title,
			.unit_id = pv->units[now->unit].id, .managing_unit_id = pv->units[c->manager].id,
			.since = now->from, .created_at = created, .updated_at = updated,
		};

		at_time(strcmp(c->post[0].from, DEMO_REGISTRY_START) > 0 ? c->post[0].from
									: DEMO_REGISTRY_START,
			"02:00:00", created);
		if (c->npost > 1)
			at_time(now->from, "02:00:00", updated);
		else
			memcpy(updated, created, sizeof(updated));
		if ((rc = db_demo_cadre(ld->db, &row, &c->id, &ld->err)) != RPC_OK)
			return rc;
		for (int j = 0; j < c->npost; j++) {
			const struct posting *p = &c->post[j];
			char to[DATE_LEN];

			if (j + 1 < c->npost)
				day_string(date_days(c->post[j + 1].from) - 1, to);
			if ((rc = db_demo_posting(ld->db, c->id, pv->units[p->unit].id, p->title, p->from,
						  j + 1 < c->npost ? to : NULL, &ld->err)) != RPC_OK)
				return rc;
		}
	}
	return RPC_OK;
}

static int load_tasks(struct load *ld, struct province *pv)
{
	int rc;

	for (int i = 0; i < pv->ntasks; i++) {
		struct task *t = &pv->tasks[i];
		const struct cadre *c = &pv->cadres[t->owner];
		struct db_demo_task row = {
			.title = t->title, .description = t->description,
			.kind = t->kind == 'b' ? "breakthrough" : "innovation",
			.field = field_names[t->field], .owner_id = c->id, .unit_id = pv->units[t->unit].id,
			.term_id = ld->term_id[t->term], .assigned_by = pv->units[c->manager].id,
			.product = t->product, .due_date = t->due, .percent = t->percent,
			.last_update_at = t->nupdates ? t->last : NULL, .update_count = t->nupdates,
			.created_at = t->created, .updated_at = t->nupdates ? t->last : t->created,
		};

		if ((rc = db_demo_task(ld->db, &row, &t->id, &ld->err)) != RPC_OK)
			return rc;
		ld->tasks_done++;
	}
	return RPC_OK;
}

static int load_updates(struct load *ld, struct province *pv)
{
	char done[600], diff[300], prop[300];
	int rc;

	qsort(pv->updates, pv->nupdates, sizeof(pv->updates[0]), update_order);
	for (size_t i = 0; i < pv->nupdates; i++) {
		const struct update *u = &pv->updates[i];

		update_text(pv, u, done, diff, prop, sizeof(diff));
		if ((rc = db_demo_update(ld->db, pv->tasks[u->task].id, u->percent, done, diff, prop,
					 u->at, &ld->err)) != RPC_OK)
			return rc;
		ld->updates_done++;
		if ((i & 1023) == 0)
			show_progress(ld, false);
	}
	ld->uncommitted += pv->nupdates;
	return RPC_OK;
}

/* Builds province p in pv (reusing its update buffer) and loads it. */
static int load_province(struct load *ld, struct province *pv, int p, int *serial)
{
	struct update *keep = pv->updates;
	size_t cap = pv->cap;
	int rc;

	memset(pv, 0, sizeof(*pv));
	pv->updates = keep;
	pv->cap = cap;
	if (p > 0)
		snprintf(pv->suffix, sizeof(pv->suffix), "-P%d", p + 1);
	if (p > 0)
		snprintf(pv->root_name, sizeof(pv->root_name), "%s (bản sao %d)", bodies[0].name, p + 1);
	else
		snprintf(pv->root_name, sizeof(pv->root_name), "%s", bodies[0].name);
	pv->present = date_days(ld->present);
	pv->rng = rng_make(DEMO_SEED, (uint64_t)p);
	pv->seed = rng_next(&pv->rng);
	build_units(pv);
	build_cadres(pv, serial);
	build_tasks(pv);
	for (int i = 0; i < pv->ntasks; i++)
		if (plan_updates(pv, i) < 0)
			return errors_set(&ld->err, RPC_INTERNAL, "out of memory");
	if ((rc = load_units(ld, pv)) != RPC_OK || (rc = load_cadres(ld, pv)) != RPC_OK ||
	    (rc = load_tasks(ld, pv)) != RPC_OK || (rc = load_updates(ld, pv)) != RPC_OK)
		return rc;
	if (ld->uncommitted >= DEMO_COMMIT_EVERY) {
		if ((rc = db_demo_checkpoint(ld->db, &ld->err)) != RPC_OK)
			return rc;
		ld->uncommitted = 0;
		ld->commits++;
	}
	show_progress(ld, false);
	return RPC_OK;
}

/* Refuses a database that holds anything the demo would collide with; the
 * counts found are left in ld->found for the message. */
static int check_empty(struct load *ld)
{
	struct db_demo_counts *n = &ld->found;
	int rc;

	if ((rc = db_demo_counts(ld->db, n, &ld->err)) != RPC_OK)
		return rc;
	ld->not_empty = n->units || n->cadres || n->terms || n->tasks || n->updates;
	if (ld->not_empty)
		return errors_set(&ld->err, RPC_CONFLICT, "the database is not empty");
	return RPC_OK;
}

static int load_all(struct load *ld)
{
	struct province *pv = calloc(1, sizeof(*pv));
	int serial = 0, rc;

	if (!pv)
		return errors_set(&ld->err, RPC_INTERNAL, "out of memory");
	rc = check_empty(ld);
	for (int i = 0; rc == RPC_OK && i < COUNT(terms); i++)
		rc = db_demo_term(ld->db, terms[i].code, terms[i].name, terms[i].kind, terms[i].start,
				  terms[i].end, &ld->term_id[i], &ld->err);
	for (int p = 0; rc == RPC_OK && p < ld->scale; p++)
		rc = load_province(ld, pv, p, &serial);
	free(pv->updates);
	free(pv);
	return rc;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dotphad [--db PATH] demo [--scale N] [--present DATE]\n"
		"\n"
		"Loads the demo province into an empty database: Tuyên Quang as a 2022 article\n"
		"describes it, with 13 tasks for 2020 and, for 2021-2025, 244 tasks for 76\n"
		"cadres managed by the Provincial Standing Committee (TU) and 219 tasks for 65\n"
		"cadres managed by the districts, with years of progress updates.  The same\n"
		"scale and present day always give the same content.\n"
		"\n"
		"  --scale N   load N copies of the province (1..%d, default 1), each under a\n"
		"              root of its own whose codes end in -P2, -P3, ...; 1000 comes\n"
		"              near a whole country (476,000 tasks, about 10 million updates;\n"
		"              about a minute and 2.7 GB, 0.05 s and 2.6 MB per province)\n"
		"  --present DATE  the demo's last day (YYYY-MM-DD, %s or later; default\n"
		"              today): progress is reported until then, and on that day the\n"
		"              tasks are in every state, status and health (dotpha board)\n"
		"\n"
		"There is no --force: the demo never writes into a database that holds data.\n"
		"To start over, delete PATH and its -wal and -shm files.\n",
		DEMO_SCALE_MAX, DEMO_PRESENT_MIN);
}

int demo_main(const char *db_path, int argc, char **argv)
{
	struct load ld = {.scale = 1};
	struct db_demo_counts n;
	char why[300];
	int rc;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--scale") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);

			if (!*argv[i] || *end || v < 1 || v > DEMO_SCALE_MAX) {
				fprintf(stderr, "dotphad: demo: --scale: expected a number from 1 to %d, got '%s'\n",
					DEMO_SCALE_MAX, argv[i]);
				return 2;
			}
			ld.scale = (int)v;
		} else if (strcmp(a, "--present") == 0 && i + 1 < argc) {
			if (date_parse(argv[++i], ld.present) != 0 ||
			    strcmp(ld.present, DEMO_PRESENT_MIN) < 0) {
				fprintf(stderr, "dotphad: demo: --present: expected a date "
						"YYYY-MM-DD from %s on, got '%s'\n",
					DEMO_PRESENT_MIN, argv[i]);
				return 2;
			}
		} else if (strcmp(a, "--force") == 0) {
			fprintf(stderr, "dotphad: demo: --force is not supported: the demo loads only "
					"into an empty database; delete %s (with its -wal and -shm files) "
					"to start over\n", db_path);
			return 2;
		} else {
			fprintf(stderr, "dotphad: demo: %s: %s\n", a,
				strcmp(a, "--scale") == 0 || strcmp(a, "--present") == 0
					? "needs a value"
					: "unknown argument");
			usage(stderr);
			return 2;
		}
	}
	if (!ld.present[0])
		date_of(clock_now(), ld.present);
	if (strcmp(ld.present, DEMO_PRESENT_MIN) < 0)
		snprintf(ld.present, sizeof(ld.present), "%s", DEMO_PRESENT_MIN);
	clock_gettime(CLOCK_MONOTONIC, &ld.t0);
	ld.shown = ld.t0;
	ld.tty = isatty(STDERR_FILENO);
	ld.tasks_total = (long)ld.scale * COUNT(((struct province *)0)->tasks);
	if (db_open(&ld.db, db_path, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: demo: %s\n", why);
		return 1;
	}
	rc = db_demo_start(ld.db, &ld.err);
	if (rc == RPC_OK)
		rc = load_all(&ld);
	rc = db_demo_end(ld.db, rc == RPC_OK, ld.present, &ld.err) != RPC_OK ? ld.err.code : rc;
	if (ld.tty)
		fprintf(stderr, "\r\033[K");
	if (rc == RPC_OK)
		rc = db_demo_counts(ld.db, &n, &ld.err);
	if (ld.not_empty) {
		fprintf(stderr,
			"dotphad: demo: %s already holds data (%lld units, %lld cadres, %lld terms, "
			"%lld tasks, %lld updates); the demo loads only into an empty database: "
			"delete the file (with its -wal and -shm files) or choose another --db PATH\n",
			db_path, (long long)ld.found.units, (long long)ld.found.cadres,
			(long long)ld.found.terms, (long long)ld.found.tasks, (long long)ld.found.updates);
		db_close(ld.db);
		return 1;
	}
	if (rc != RPC_OK) {
		fprintf(stderr, "dotphad: demo: %s\n", ld.err.message);
		if (ld.commits > 0)
			fprintf(stderr, "dotphad: demo: %s holds part of the demo; delete it and run "
					"again\n", db_path);
		db_close(ld.db);
		return 1;
	}
	printf("demo: loaded scale %d into %s: %lld units, %lld cadres, %lld terms, %lld tasks, "
	       "%lld updates, as of %s, in %.2f s\n",
	       ld.scale, db_path, (long long)n.units, (long long)n.cadres, (long long)n.terms,
	       (long long)n.tasks, (long long)n.updates, ld.present, seconds_since(&ld.t0));
	db_close(ld.db);
	return 0;
}
