/*
 * lang_vi_server.c: the Vietnamese of the server's error templates
 * (PROTOCOL.md 2), in the words of docs/glossary.md.  A test checks that
 * every template of server/ has a row here, with the same values in the
 * same order (lang.h says which letters a Vietnamese template may use
 * beyond printf's).
 *
 * The rows go by file of server/ in the order the test lists them
 * (build/tests/test_client_say --filter 'say/every_template*'); a template
 * that several files use has its row under the first, and a comment under
 * the others.  A field the English names literally ("task: ...") stays as
 * the English names it: only a field given as a value (%F) can be shown as
 * the user's option.
 */
#include <stddef.h>

#include "lang.h"

const struct lang_pair lang_vi_server[] = {
	/* server/daemon/conn.c */
	{"the connection did not sign in within %.1f s; closing the connection",
	 "Máy chủ đóng kết nối vì sau %.1f giây vẫn chưa đăng nhập"},
	{"a message did not arrive whole within %.1f s; closing the connection",
	 "Máy chủ đóng kết nối vì sau %.1f giây vẫn chưa nhận đủ một yêu cầu (đường truyền "
	 "quá chậm)"},
	{"nothing was sent or read within %.1f s; closing the connection",
	 "Máy chủ đóng kết nối vì %.1f giây không có trao đổi nào"},
	{"the request could not be handed to a worker",
	 "Lỗi máy chủ: không chuyển được yêu cầu sang luồng xử lý"},
	{"the server cannot read now (%s); try again shortly",
	 "Máy chủ tạm thời chưa đọc được dữ liệu (%s); đề nghị thử lại sau ít phút"},
	{"the server is serving its maximum of %u clients; the connections it keeps in reserve "
	 "are for an admin; try again shortly",
	 "Máy chủ đã phục vụ đủ số máy khách tối đa (%u); các kết nối dự phòng chỉ dành cho quản "
	 "trị; đề nghị thử lại sau ít phút"},
	{"this server accepts TLS connections only; connect with TLS (dotpha: pin the server's "
	 "certificate with `dotpha login`, or give --ca FILE)",
	 "Máy chủ này chỉ nhận kết nối mã hóa TLS; đề nghị kết nối bằng TLS (dotpha: ghi nhận "
	 "chứng chỉ của máy chủ bằng `dotpha login`, hoặc dùng --ca FILE)"},
	{"the server is full and this connection had not signed in; connect again and sign in at "
	 "once",
	 "Máy chủ đã đầy mà kết nối này chưa đăng nhập; đề nghị kết nối lại và đăng nhập ngay"},
	{"%u connections from your address (%s) are open and not signed in, the most the server "
	 "allows; sign in on those or close them, then try again",
	 "Địa chỉ %2$s đang mở %1$u kết nối chưa đăng nhập, là mức tối đa máy chủ cho phép; đề "
	 "nghị đăng nhập trên các kết nối đó hoặc đóng chúng lại, rồi thử lại"},
	{"the server is serving its maximum of %u clients; try again shortly",
	 "Máy chủ đã phục vụ đủ số máy khách tối đa (%u); đề nghị thử lại sau ít phút"},

	/* server/daemon/bootstrap.c */
	{"the random number generator failed",
	 "Lỗi máy chủ: bộ sinh số ngẫu nhiên không hoạt động"},
	{"cannot write %s: %s", "Không ghi được tệp %s: %s"},

	/* server/rpc/audit.c */
	{"%s: the audit trail does not know what this method changes; nothing was saved",
	 "%M: lỗi máy chủ: nhật ký thao tác không biết thao tác này thay đổi gì; chưa lưu gì"},
	{"%s: its result names no object for the audit trail; nothing was saved",
	 "%M: lỗi máy chủ: kết quả không chỉ rõ đối tượng để ghi nhật ký thao tác; chưa lưu gì"},

	/* server/rpc/dispatch.c */
	{"your token was revoked or your account disabled; sign in again",
	 "Token đã bị thu hồi hoặc tài khoản đã bị khóa; đề nghị đăng nhập lại"},
	{"%s failed without saying why", "%M không thực hiện được, máy chủ không nêu lý do"},
	{"request_id: must be a string of 8 to 64 printable ASCII characters",
	 "request_id: phải là chuỗi từ 8 đến 64 ký tự ASCII in được"},
	{"the server's database dropped the transaction; nothing was saved; try again",
	 "Cơ sở dữ liệu của máy chủ đã hủy giao dịch; chưa lưu gì; đề nghị thử lại"},
	{"%s: not allowed for the role %s",
	 "%M: vai trò %C không được phép thực hiện thao tác này"},
	{"request_id: this request already made a token, which is shown only once; if its answer "
	 "was lost, rotate that token (token.list, then token.rotate)",
	 "request_id: yêu cầu này đã tạo một token, token chỉ hiện một lần; nếu không nhận "
	 "được kết quả, đề nghị đổi token đó (dotpha token list, rồi dotpha token rotate)"},
	{"%s: the answer would be %.2f MiB, over the %.2f MiB one reply may carry; ask for less "
	 "(one unit, a shorter list, a smaller page)",
	 "%M: kết quả sẽ là %.2f MB, vượt mức %.2f MB của một lần trả lời; đề nghị lấy ít hơn "
	 "(một đơn vị, danh sách ngắn hơn, trang nhỏ hơn)"},
	{"sign in first (session.auth with a token)",
	 "Chưa đăng nhập: đề nghị đăng nhập bằng token (dotpha login)"},
	{"unknown method '%s'", "Máy chủ không có thao tác '%s'"},
	{"the server is serving its maximum of clients; only an admin may use the connections it "
	 "keeps in reserve; try again shortly",
	 "Máy chủ đã phục vụ đủ số máy khách tối đa; chỉ quản trị mới được dùng các kết nối dự "
	 "phòng; đề nghị thử lại sau ít phút"},

	/* server/rpc/nfc.c */
	{"the server ran out of memory while putting the params' text in Unicode NFC; nothing was "
	 "done; try again",
	 "Máy chủ hết bộ nhớ khi chuẩn hóa văn bản (Unicode NFC); chưa làm gì; đề nghị thử lại"},

	/* server/rpc/params.c */
	{"params: more than %d fields", "params: có hơn %d trường dữ liệu"},
	{"%s: is required", "%F: bắt buộc phải có"},
	{"params: field names must be strings", "params: tên trường phải là chuỗi ký tự"},
	{"%s: unknown field", "%F: máy chủ không nhận trường này"},
	{"%s: must be a string, got %s", "%F: phải là văn bản"},
	{"%s: at most %zu bytes, got %u",
	 "%F: quá dài: tối đa %zu byte, đã nhập %u byte (một chữ có dấu chiếm 2 đến 3 byte)"},
	{"%s: is not valid UTF-8 text", "%F: không phải văn bản UTF-8 hợp lệ"},
	{"%s: contains a bidirectional control character (U+%04X) that could disguise the text",
	 "%F: có ký tự điều khiển hướng chữ (U+%04X), có thể làm văn bản hiển thị sai lệch"},
	{"%s: must not be empty", "%F: không được để trống"},
	{"%s: a code is 1 to %d characters of A-Z, a-z, 0-9, '.', '_' or '-'",
	 "%F: mã gồm 1 đến %d ký tự A-Z, a-z, 0-9, '.', '_' hoặc '-' (chữ không dấu, không có "
	 "dấu cách)"},
	{"%s: must be a date YYYY-MM-DD, got '%s'",
	 "%F: phải là ngày dạng năm-tháng-ngày YYYY-MM-DD, đã nhập '%s'"},
	{"%s: must be between %lld and %lld", "%F: phải trong khoảng từ %lld đến %lld"},
	{"%s: must be an integer, got %s", "%F: phải là số nguyên"},
	{"%s: must be between %lld and %lld, got %lld",
	 "%F: phải trong khoảng từ %lld đến %lld, đã nhập %lld"},
	{"%s: must be true or false, got %s", "%F: phải là true hoặc false"},
	{"%s: must be one of %s; got '%s'", "%F: phải là một trong các giá trị %s; đã nhập '%s'"},
	{"%s: must be a positive id or a code, got %s", "%F: phải là ID (số dương) hoặc mã"},
	{"%s: must be an array, got %s", "%F: phải là danh sách"},
	{"%s: at most %u elements, got %u", "%F: tối đa %u phần tử, đã nhập %u"},
	{"%s: %s is in the past (today is %s)", "%F: ngày %D đã qua (hôm nay là %D)"},
	{"%s: must be binary (MessagePack bin), got %s",
	 "%F: phải là dữ liệu nhị phân (MessagePack bin)"},
	{"%s: 1 to %zu bytes, got %u", "%F: phải từ 1 đến %zu byte, đã nhận %u byte"},

	/* server/methods/cadre.c */
	{"give at least one of full_name, title, managing_unit",
	 "Cần có ít nhất một trong các mục: full_name, title, managing_unit"},

	/* server/methods/session.c */
	{"the token is not valid, was revoked, or its account is disabled; %u failed sign-in%s "
	 "from %s (after %u, each further failure is answered only after a delay)",
	 "Token không hợp lệ, đã bị thu hồi, hoặc tài khoản đã bị khóa; địa chỉ %3$s đã đăng "
	 "nhập sai %1$u lần (sau %4$u lần, mỗi lần sai tiếp theo phải chờ một lúc mới được trả "
	 "lời)"},
	{"the token is not valid, was revoked, or its account is disabled; %u failed sign-ins "
	 "from %s: each further failure is answered after %u s%s, until %s passes with no "
	 "further failure",
	 "Token không hợp lệ, đã bị thu hồi, hoặc tài khoản đã bị khóa; địa chỉ %2$s đã đăng "
	 "nhập sai %1$u lần: mỗi lần sai tiếp theo phải chờ %3$u giây mới được trả lời, cho đến "
	 "khi qua %5$D mà không sai thêm lần nào"},

	/* server/methods/report_compare.c */
	{"snapshot %lld: its report is unreadable",
	 "Bản chốt báo cáo ID %lld: nội dung báo cáo bị hỏng, không đọc được"},
	{"snapshot %lld: its report has no summary",
	 "Bản chốt báo cáo ID %lld: báo cáo không có phần tổng hợp"},
	{"report.compare: out of memory", "dotpha report compare: máy chủ hết bộ nhớ"},

	/* server/methods/inspection.c */
	{"actions[%u]: must be a map {what, due_date}",
	 "actions[%u]: phải có dạng {what, due_date}"},
	{"due_date: %s is before the inspection's date %s",
	 "due_date: hạn %D sớm hơn ngày kiểm tra, giám sát %D"},
	{"date: %s is in the future (today is %s); record an inspection once it took place",
	 "date: ngày %D chưa đến (hôm nay là %D); chỉ ghi nhận cuộc kiểm tra, giám sát sau khi "
	 "đã diễn ra"},

	/* server/methods/audit_methods.c */
	{"until: must not be before since %s, got %s",
	 "until: không được trước ngày bắt đầu %1$D, đã nhập %2$D"},
	{"anchor: expected ID:HASH or HASH, the hash as 64 hex digits",
	 "anchor: phải có dạng ID:HASH hoặc HASH, trong đó HASH gồm 64 chữ số hệ mười sáu"},

	/* server/methods/reminder.c */
	{"account: no active supervisor or admin '%s' whose scope holds the unit of task %lld",
	 "account: không có tài khoản giám sát hoặc quản trị '%s' đang hoạt động mà phạm vi bao "
	 "gồm đơn vị của việc ID %lld"},
	{"give either account (the new focal point) or clear: true (none)",
	 "Cần nêu một trong hai: account (đầu mối theo dõi mới) hoặc clear: true (không còn đầu "
	 "mối)"},
	{"reminder: reminder %lld is already answered",
	 "reminder: lượt đôn đốc ID %lld đã được trả lời"},

	/* server/methods/account.c; also "the random number generator failed" (above) */
	{"scope: an admin acts over the whole tree; leave scope out",
	 "scope: tài khoản quản trị có phạm vi là toàn bộ cây đơn vị; đề nghị bỏ phạm vi"},
	{"scope: is required for the role %s (the unit whose subtree the account acts in)",
	 "scope: bắt buộc phải có với vai trò %C (đơn vị mà tài khoản được tác nghiệp trong đơn "
	 "vị đó và các đơn vị trực thuộc)"},
	{"give at least one of display_name, role, scope, active, email, notify",
	 "Cần có ít nhất một trong các mục: display_name, role, scope, active, email, notify"},
	{"email: '%s' is not an address like name@example.gov.vn (one @, a domain with a dot, no "
	 "spaces, quotes, brackets or line breaks)",
	 "email: '%s' không phải địa chỉ thư điện tử dạng ten@example.gov.vn (một dấu @, tên miền "
	 "có dấu chấm, không có khoảng trắng, dấu nháy, dấu ngoặc hay xuống dòng)"},
	{"scope: is required when the role is not admin",
	 "scope: bắt buộc phải có khi vai trò không phải là quản trị"},
	{"account: you are the last active admin; make another admin first",
	 "account: đây là tài khoản quản trị cuối cùng còn hoạt động; đề nghị tạo một tài khoản "
	 "quản trị khác trước"},

	/* server/methods/amendment.c */
	{"give at least one of title, product, due_date: what should change",
	 "Cần nêu ít nhất một nội dung cần điều chỉnh: title, product hoặc due_date"},
	{"task: task %lld has amendment %lld pending; it must be approved or rejected first",
	 "task: việc ID %lld đang có đề nghị điều chỉnh ID %lld chờ duyệt; đề nghị đó phải được "
	 "duyệt hoặc không duyệt trước"},
	{"amendment: amendment %lld is no longer pending",
	 "amendment: đề nghị điều chỉnh ID %lld không còn ở trạng thái chờ duyệt"},

	/* server/methods/workflow.c */
	{"task: task %lld has an unknown state '%s'",
	 "task: việc ID %lld có trạng thái không xác định '%s'"},
	{"task: task %lld is %s; that is final, nothing more may be done",
	 "task: việc ID %lld ở trạng thái %C; đây là trạng thái cuối cùng, không thực hiện thêm "
	 "thao tác nào được nữa"},
	{"task: task %lld is %s; from %s you may: %s",
	 "task: việc ID %1$lld ở trạng thái %2$C; từ trạng thái này chỉ có thể: %4$s"},
	{"task: task %lld is %s; a finished task does not change",
	 "task: việc ID %lld ở trạng thái %C; việc đã kết thúc thì không thay đổi được nữa"},
	{"task: task %lld is %s; its title, product and due date now change only by an amendment "
	 "the managing body approves (amendment.propose%s)",
	 "task: việc ID %1$lld ở trạng thái %2$C; tên việc, sản phẩm và hạn nay chỉ thay đổi "
	 "bằng đề nghị điều chỉnh được cơ quan quản lý duyệt (dotpha task amend; việc đã báo cáo "
	 "hoàn thành thì phải được trả lại trước)"},
	{"task: task %lld is %s; after review only an admin corrects it (the focal point may "
	 "return it to you)",
	 "task: việc ID %lld ở trạng thái %C; sau khi thẩm định, chỉ quản trị mới được sửa (đầu "
	 "mối theo dõi có thể trả lại việc cho đơn vị)"},
	{"task: task %lld is %s; amendments are for assigned and in_progress tasks (%s)",
	 "task: việc ID %1$lld ở trạng thái %2$C; chỉ đề nghị điều chỉnh được với việc Đã giao "
	 "hoặc Đang thực hiện (việc đã báo cáo hoàn thành thì phải được trả lại trước; việc chưa "
	 "giao thì sửa bằng dotpha task update)"},
	{"task: task %lld is %s; the plan of a finished task does not change",
	 "task: việc ID %lld ở trạng thái %C; kế hoạch của việc đã kết thúc thì không thay đổi "
	 "được nữa"},
	{"task: task %lld is %s; progress is reported only on a task that is assigned or "
	 "in_progress",
	 "task: việc ID %lld ở trạng thái %C; chỉ báo cáo tiến độ được với việc Đã giao hoặc "
	 "Đang thực hiện"},

	/* server/methods/plan.c */
	{"responsible_unit, responsible_cadre, responsible_text: give one of them at most",
	 "responsible_unit, responsible_cadre, responsible_text: chỉ được nêu nhiều nhất một "
	 "trong ba mục này"},
	{"give at least one of what, responsible_unit, responsible_cadre, responsible_text, "
	 "due_date, status, position",
	 "Cần có ít nhất một trong các mục: what, responsible_unit, responsible_cadre, "
	 "responsible_text, due_date, status, position"},

	/* server/methods/task.c */
	{"give at least one of title, description, kind, field, owner, unit, term, assigned_by, "
	 "product, due_date",
	 "Cần có ít nhất một trong các mục: title, description, kind, field, owner, unit, term, "
	 "assigned_by, product, due_date"},

	/* server/methods/throttle.c */
	{"throttle.list: out of memory", "dotpha admin throttle list: máy chủ hết bộ nhớ"},
	{"address: '%s' is not an IPv4 or IPv6 address (see throttle.list)",
	 "address: '%s' không phải địa chỉ IPv4 hoặc IPv6 (xem dotpha admin throttle list)"},

	/* server/methods/appraisal.c */
	{"update: update %lld is already %s",
	 "update: báo cáo tiến độ ID %lld đã được đánh giá: %V"},
	{"task: task %lld is %s; the updates of a finished task are not appraised",
	 "task: việc ID %lld ở trạng thái %C; không đánh giá báo cáo tiến độ của việc đã kết "
	 "thúc"},

	/* server/methods/file.c */
	{"task: task %lld is %s; evidence files are attached only to a task that is assigned, "
	 "in_progress or reported_done",
	 "task: việc ID %lld ở trạng thái %C; chỉ đính kèm hồ sơ cho việc Đã giao, Đang thực "
	 "hiện hoặc Báo cáo hoàn thành"},
	{"name: a file name without '/', '\\' or control characters, and not '.' or '..'",
	 "name: tên tệp không được chứa '/', '\\' hay ký tự điều khiển, và không được là '.' "
	 "hoặc '..'"},
	{"type: a media type such as application/pdf, got '%s'",
	 "type: phải là kiểu tệp (media type) như application/pdf, đã nhập '%s'"},
	{"sha256: the file's SHA-256 as 64 hex digits, got '%s'",
	 "sha256: phải là mã SHA-256 của tệp, gồm 64 chữ số hệ mười sáu, đã nhập '%s'"},
	{"file: unit %s holds %.1f MiB of evidence files (with the uploads under way) of its quota "
	 "of %.1f MiB; this file's %.1f MiB would pass it; nothing was stored; ask the server's "
	 "administrator",
	 "file: hồ sơ của đơn vị %s (kể cả các tệp đang gửi) đã chiếm %.1f MB trên hạn mức "
	 "%.1f MB; thêm tệp này (%.1f MB) sẽ vượt hạn mức; chưa lưu gì; đề nghị liên hệ người "
	 "quản trị máy chủ"},
	{"file: task %lld already has this file (same size and SHA-256) as file %lld",
	 "file: việc ID %lld đã có tệp này (cùng kích thước và mã SHA-256), là hồ sơ ID %lld"},
	{"upload: no upload with id %lld", "upload: không có lần gửi tệp nào có ID %lld"},
	{"upload: upload %lld is %s; begin the upload again (file.upload_begin)",
	 "upload: lần gửi tệp ID %1$lld không còn mở; đề nghị gửi lại tệp từ đầu (dotpha attach)"},
	{"offset: upload %lld has %lld bytes; send from offset %lld, got %lld",
	 "offset: lần gửi tệp ID %lld đã nhận %lld byte; phải gửi tiếp từ vị trí %lld, nhưng đã "
	 "gửi từ vị trí %lld"},
	{"data: %zu bytes at offset %lld go past the declared size %lld",
	 "data: %zu byte từ vị trí %lld vượt quá kích thước đã khai báo (%lld byte)"},
	{"upload: upload %lld has %lld of its %lld bytes; send the rest first",
	 "upload: lần gửi tệp ID %lld mới nhận %lld trên %lld byte; đề nghị gửi nốt phần còn lại "
	 "trước"},
	{"sha256: the bytes of upload %lld hash to %s, not the declared %s; abort it "
	 "(file.upload_abort) and send the file again",
	 "sha256: dữ liệu của lần gửi tệp ID %lld có mã %s, khác mã đã khai báo %s; đề nghị hủy "
	 "lần gửi này (file.upload_abort) rồi gửi lại tệp"},
	{"file: no file with id %lld", "file: không có hồ sơ nào có ID %lld"},

	/* server/methods/import.c; also "%s: not allowed for the role %s" (dispatch.c) */
	{"%s: its result names no object", "%M: lỗi máy chủ: kết quả không chỉ rõ đối tượng"},
	{"%s: an import does not change this column of an existing %.*s (it is '%s')",
	 "%1$s: khi nhập dữ liệu không thay đổi được cột này của %2$N đã có (hiện là '%3$s')"},
	{"parent: an import does not make a unit a root (its parent is '%s')",
	 "parent: khi nhập dữ liệu không thể đưa một đơn vị thành đơn vị gốc (đơn vị cấp trên "
	 "hiện là '%s')"},
	{"merged_into: give valid_to too, the date the unit closed",
	 "merged_into: cần ghi cả valid_to, là ngày đơn vị chấm dứt hoạt động"},
	{"code: a %.*s with code '%s' already exists", "code: đã có %1$N mang mã '%2$s'"},
	{"rows[%u]: must be a map {line: a positive integer, values: an array of strings}",
	 "rows[%u]: phải có dạng {line: số nguyên dương, values: danh sách chuỗi ký tự}"},
	{"rows[%u].values: must be strings", "rows[%u].values: các giá trị phải là chuỗi ký tự"},
	{"out of memory", "Máy chủ hết bộ nhớ"},
	{"kind: importing %s is not allowed for the role %s (it takes %s)",
	 "kind: vai trò %2$C không được nhập dữ liệu %1$s (cần quyền dùng %3$M)"},

	/* server/methods/followup.c */
	{"task: task %lld is %s; a follow-up check is scheduled only on an accepted task",
	 "task: việc ID %lld ở trạng thái %C; chỉ hẹn kiểm tra dứt điểm đối với việc Đã nghiệm "
	 "thu"},

	/* server/methods/backup.c */
	{"backup: no backup with id %lld (a copy lasts an hour, and not past a restart)",
	 "backup: không có bản sao lưu nào có ID %lld (bản sao lưu chỉ được giữ một giờ, và mất "
	 "khi máy chủ khởi động lại)"},
	{"backup: cannot read %s back", "backup: không đọc lại được tệp %s"},
	{"backup: %d copies are waiting to be fetched; fetch or drop one (backup.drop) first",
	 "backup: đang có %d bản sao lưu chờ tải về; đề nghị tải về hoặc bỏ một bản (backup.drop) "
	 "trước"},
	{"offset: %lld is past the end of backup %lld (%lld bytes)",
	 "offset: vị trí %lld vượt quá cuối bản sao lưu ID %lld (%lld byte)"},
	{"backup %lld: cannot read its file", "Bản sao lưu ID %lld: không đọc được tệp"},

	/* server/methods/supervision.c */
	{"%s: only the managing body may do this: task %lld was assigned by a unit outside your "
	 "scope (or an admin may)",
	 "%M: chỉ cơ quan quản lý (hoặc quản trị) mới được thực hiện thao tác này: việc ID %lld "
	 "do một đơn vị ngoài phạm vi của tài khoản giao"},
	{"%s: only the task's focal point or its managing body may do this (or an admin may): "
	 "task %lld",
	 "%M: chỉ đầu mối theo dõi hoặc cơ quan quản lý của việc (hoặc quản trị) mới được thực "
	 "hiện thao tác này: việc ID %lld"},
	{"%s: no %s with id %lld", "%1$F: không có %2$N nào có ID %3$lld"},

	/* server/methods/unit.c */
	{"parent: an account with a scope makes units only inside its scope; give a parent there",
	 "parent: tài khoản có phạm vi chỉ được tạo đơn vị trong phạm vi của mình; đề nghị chọn "
	 "đơn vị cấp trên trong phạm vi đó"},

	/* server/methods/term.c */
	{"end: must not be before start %s, got %s",
	 "end: không được trước ngày bắt đầu %1$D, đã nhập %2$D"},

	/* server/methods/search.c */
	{"text: \"%s\" has no word to search for", "text: \"%s\" không có từ nào để tìm"},
	{"text: at most %d words, got more", "text: tối đa %d từ, đã nhập nhiều hơn"},

	/* server/store/db_cadre.c */
	{"%s: that unit was closed on %s", "%F: đơn vị đó đã chấm dứt hoạt động ngày %D"},
	{"cadre: no cadre with id %lld", "cadre: không có cán bộ nào có ID %lld"},
	{"date: must be after the start of the current post, %s",
	 "date: phải sau ngày bắt đầu vị trí công tác hiện tại (%D)"},

	/* server/store/db_account.c */
	{"token: already revoked", "token: token đã bị thu hồi từ trước"},

	/* server/store/db_audit.c; also "%s: no %s with id %lld" (supervision.c), "out of
	 * memory" (import.c) */
	{"audit: no way to look up a %s", "audit: lỗi máy chủ: không tra cứu được %N"},
	{"%s: must be the %s's id", "%F: phải là ID của %N"},
	{"audit: no way to record a %s", "audit: lỗi máy chủ: không ghi nhật ký được cho %N"},

	/* server/db/db_kept.c */
	{"out of memory judging the tasks again",
	 "Máy chủ hết bộ nhớ khi xét lại tình trạng các việc"},

	/* server/store/db_report_past.c */
	{"a row of the report is gone", "Một dòng của báo cáo không còn; hãy lập lại báo cáo"},

	/* server/store/db_plan.c */
	{"step: no step with id %lld", "step: không có bước kế hoạch nào có ID %lld"},
	{"step: out of memory", "step: máy chủ hết bộ nhớ"},
	/* server/store/db_outbox.c, server/mail/notice.c */
	{"outbox: out of memory", "Máy chủ hết bộ nhớ khi ghi thư thông báo"},
	/* server/store/db_digest.c */
	{"digest: out of memory", "Máy chủ hết bộ nhớ khi lập bản tổng hợp"},

	/* server/store/db_file.c; also "file: no file with id %lld" (file.c) */
	{"update: task %lld has no update with id %lld",
	 "update: việc ID %lld không có báo cáo tiến độ nào có ID %lld"},
	{"upload: out of memory hashing", "upload: máy chủ hết bộ nhớ khi tính mã băm"},
	{"upload: upload %lld has a gap at byte %lld",
	 "upload: lần gửi tệp ID %lld bị thiếu dữ liệu tại byte %lld"},
	{"upload: upload %lld is no longer open", "upload: lần gửi tệp ID %lld không còn mở"},
	{"file: the stored bytes of upload %lld have a gap at byte %lld",
	 "file: dữ liệu đã lưu của lần gửi tệp ID %lld bị thiếu tại byte %lld"},
	{"file: file %lld was withdrawn at %s by %s: %s; its content is erased",
	 "file: hồ sơ ID %lld đã bị thu hồi lúc %D, người thu hồi: %s, lý do: %s; nội dung tệp "
	 "đã bị xóa"},
	{"offset: file %lld has %lld bytes; offset %lld is past its end",
	 "offset: hồ sơ ID %lld có %lld byte; vị trí %lld vượt quá cuối tệp"},
	{"file: out of memory", "file: máy chủ hết bộ nhớ"},
	{"file: file %lld was withdrawn already", "file: hồ sơ ID %lld đã bị thu hồi từ trước"},

	/* server/store/db_import.c */
	{"out of memory reading an imported row's object",
	 "Máy chủ hết bộ nhớ khi đọc đối tượng của một dòng dữ liệu nhập"},

	/* server/store/db_unit.c */
	{"%s: that unit was closed on or before %s",
	 "%F: đơn vị đó đã chấm dứt hoạt động vào hoặc trước ngày %D"},
	{"date: the unit already has a name from %s or later; renames go forward in time",
	 "date: đơn vị đã có tên áp dụng từ ngày %D hoặc muộn hơn; lần đổi tên mới phải có ngày "
	 "sau các lần trước"},
	{"parent: a unit cannot move under itself or its own subtree",
	 "parent: không thể chuyển đơn vị về trực thuộc chính nó hoặc một đơn vị cấp dưới của nó"},
	{"unit: already closed", "unit: đơn vị đã chấm dứt hoạt động từ trước"},
	{"unit: %lld unit%s under it %s still open on %s; close or move %s first",
	 "unit: đến ngày %4$D vẫn còn %1$lld đơn vị trực thuộc đang hoạt động; đề nghị cho các "
	 "đơn vị đó chấm dứt hoạt động hoặc chuyển đi trước"},
	{"merged_into: a unit cannot merge into itself",
	 "merged_into: đơn vị không thể sáp nhập vào chính nó"},

	/* server/store/db_task.c */
	{"%s: no task with id %lld", "%F: không có việc nào có ID %lld"},
	{"%s: unit %s may not assign a task to cadre %s, who is managed by %s; a task is assigned "
	 "by its cadre's managing unit or a unit above it",
	 "%F: đơn vị %s không được giao việc cho cán bộ %s (thuộc diện %s quản lý); việc phải do "
	 "cơ quan quản lý cán bộ đó hoặc đơn vị cấp trên của cơ quan này giao"},
	{"due_date: must not be before the term's start %s",
	 "due_date: không được trước ngày bắt đầu của năm, nhiệm kỳ (%D)"},
	{"%s: the term starts %s, after the due date %s",
	 "%F: năm, nhiệm kỳ bắt đầu ngày %D, sau hạn của việc (%D)"},
	{"owner: no cadre with id %lld", "owner: không có cán bộ nào có ID %lld"},
	{"task: no task with id %lld", "task: không có việc nào có ID %lld"},
	{"term: must start after the task's own term",
	 "term: phải bắt đầu sau năm, nhiệm kỳ hiện tại của việc"},

	/* server/store/db_update.c: "task: no task with id %lld" (db_task.c) */

	/* server/store/db_reminder.c; also "task: no task with id %lld" (db_task.c) */
	{"account: account %lld is not an active supervisor or admin; a focal point must be one",
	 "account: tài khoản ID %lld không phải tài khoản giám sát hoặc quản trị đang hoạt động; "
	 "đầu mối theo dõi phải là một trong hai loại tài khoản này"},
	{"account: the scope of account %lld does not hold the unit of task %lld",
	 "account: phạm vi của tài khoản ID %lld không bao gồm đơn vị của việc ID %lld"},

	/* server/store/db_snapshot.c */
	{"name: a snapshot named '%s' already exists (id %lld)",
	 "name: đã có bản chốt báo cáo tên '%s' (ID %lld)"},
	{"%s: no snapshot named '%s'", "%F: không có bản chốt báo cáo nào tên '%s'"},
	{"%s: no snapshot with id %lld", "%F: không có bản chốt báo cáo nào có ID %lld"},
	{"snapshot: out of memory", "snapshot: máy chủ hết bộ nhớ"},

	/* server/store/storage.c */
	{"file: the server's disk has %.1f MiB free and keeps %.1f MiB free for the database, so "
	 "it takes no %lld more bytes of evidence; nothing was written; tell the server's "
	 "administrator",
	 "file: ổ đĩa máy chủ còn trống %.1f MB và phải để dành %.1f MB cho cơ sở dữ liệu, nên "
	 "không nhận thêm %lld byte hồ sơ; chưa ghi gì; đề nghị báo người quản trị máy chủ"},

	/* server/store/db_backup.c */
	{"backup: cannot create %s: %s", "backup: không tạo được tệp %s: %s"},
	{"backup: cannot make %s private: %s",
	 "backup: không đặt được quyền riêng tư cho tệp %s: %s"},
	{"backup: %s", "backup: %s"},
	{"backup: cannot close %s", "backup: không đóng được tệp %s"},

	/* server/store/db_amendment.c: "amendment: amendment %lld is no longer pending"
	 * (amendment.c) */

	/* server/demo/demo.c; also "out of memory" (import.c) */
	{"the database is not empty",
	 "Cơ sở dữ liệu đã có dữ liệu; chỉ nạp dữ liệu mẫu vào cơ sở dữ liệu trống"},

	/* server/db/db_request.c; also "out of memory" (import.c) */
	{"request_id: already used for a different method (%s)",
	 "request_id: đã được dùng cho một thao tác khác (%M)"},

	/* server/db/db_search.c */
	{"search: out of memory", "search: máy chủ hết bộ nhớ"},
	{"search: task %lld vanished", "search: việc %lld không còn trong cơ sở dữ liệu"},

	/* server/db/db_stmt.c */
	{"%s: the database is busy; try again shortly",
	 "Cơ sở dữ liệu đang bận; đề nghị thử lại sau ít phút"},
	{"%s: the server's disk is full; nothing was saved",
	 "Ổ đĩa của máy chủ đã đầy; chưa lưu gì"},
	{"%s: the server cannot write its database (%s: %s)",
	 "Máy chủ không ghi được vào cơ sở dữ liệu (%2$s: %3$s)"},
	{"%s: the server cannot write its database (%s)",
	 "Máy chủ không ghi được vào cơ sở dữ liệu (%2$s)"},
	{"%s: already exists (%s)", "%N: đã tồn tại (%s)"},
	{"%s: refers to something that does not exist", "%N: tham chiếu tới đối tượng không tồn tại"},
	{"%s: %s", "%N: %s"},
	{"%s: database error: %s", "%N: lỗi cơ sở dữ liệu: %s"},
	{"out of memory growing the statement cache to %zu queries",
	 "Máy chủ hết bộ nhớ khi mở rộng bộ nhớ đệm câu lệnh lên %zu truy vấn"},
	{"out of memory growing the statement cache's index to %zu slots",
	 "Máy chủ hết bộ nhớ khi mở rộng chỉ mục bộ nhớ đệm câu lệnh lên %zu ô"},

	/* server/db/db_resolve.c; also "%s: no %s with id %lld" (supervision.c) */
	{"code: a %s with code '%.*s' already exists", "code: đã có %1$N mang mã '%2$s'"},
	{"%s: no %s with code %s'%s'", "%1$F: không có %2$N nào có mã '%4$s'"},

	/* server/db/db_query.c; also "%s: no %s with id %lld" (supervision.c) */
	{"%s: %s %lld is already %s", "%1$F: %2$N ID %3$lld đã được xử lý xong từ trước"},

	/* server/db/db_run.c */
	{"%s%sbad bind format \"%s\" at ?%d",
	 "%1$s%2$slỗi máy chủ: định dạng tham số \"%3$s\" sai tại ?%4$d"},
	{"%s%sbinding ?%d ('%c'): %s", "%1$s%2$slỗi máy chủ khi gắn tham số ?%3$d ('%4$c'): %5$s"},

	/* server/db/db_txn.c */
	{"the server's database met a write error; it is being reopened and checked and takes no "
	 "writes until then; nothing was written",
	 "Cơ sở dữ liệu của máy chủ gặp lỗi ghi; đang được mở lại và kiểm tra, trong thời gian "
	 "này không nhận ghi dữ liệu; chưa ghi gì"},

	{NULL, NULL},
};
