"""The blank workbook's instructions sheet (``classbot template``) in Vietnamese, Lao, English.

This is file content shown all three languages at once, so it lives here as
data rather than in the gettext catalogs.
"""

from __future__ import annotations

INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "vi": (
        "HƯỚNG DẪN ĐIỀN LỊCH HỌC",
        "1. Trang «Lớp học - Class»: điền giá trị ở cột B cho từng mục. Bắt buộc: mã lớp, "
        "tên lớp bằng ngôn ngữ mặc định, múi giờ (ví dụ Asia/Ho_Chi_Minh, Asia/Shanghai), "
        "ngày bắt đầu, ngày kết thúc, ngôn ngữ mặc định (vi, lo hoặc en).",
        "2. Trang «Chuyên đề - Topics»: mỗi dòng một chuyên đề; số chuyên đề không được trùng.",
        "3. Trang «Lịch học - Sessions»: mỗi dòng một buổi/hoạt động. Bắt buộc: ngày, giờ bắt đầu, "
        "giờ kết thúc, loại, tiêu đề bằng ngôn ngữ mặc định của lớp.",
        "4. Ngày ghi dạng 15/07/2024 hoặc 2024-07-15; giờ ghi dạng 07:30 hoặc 7h30 "
        "(giờ địa phương nơi học).",
        "5. Loại: Khai giảng, Chuyên đề, Khảo sát thực tế, Đi thực tế, Tự học, Nghỉ/Ăn trưa, "
        "Bế giảng, Khác.",
        "6. Khảo sát thực tế và chuyến đi phải có giờ xuất phát và điểm tập trung; "
        "nên ghi thêm phương tiện, trang phục, vật dụng mang theo, vĩ độ và kinh độ.",
        "7. Cột «Mã / ID»: đặt cho mỗi buổi một mã riêng và giữ nguyên khi sửa lịch, "
        "để học viên được báo đúng buổi nào đổi giờ, buổi nào thay đổi.",
        "8. Các buổi trong cùng một ngày không được trùng giờ nhau.",
    ),
    "lo": (
        "ຄຳແນະນຳໃນການປ້ອນຕາຕະລາງການຝຶກອົບຮົມ",
        "1. ແຜ່ນ «Lớp học - Class»: ກະລຸນາປ້ອນຂໍ້ມູນໃສ່ຖັນ B ຂອງແຕ່ລະລາຍການ. ຈຳເປັນຕ້ອງມີ: "
        "ລະຫັດຫ້ອງ, ຊື່ຫ້ອງເປັນພາສາຫຼັກ, ເຂດເວລາ (ເຊັ່ນ Asia/Ho_Chi_Minh, Asia/Shanghai), "
        "ວັນເລີ່ມຕົ້ນ, ວັນສິ້ນສຸດ ແລະ ພາສາຫຼັກ (vi, lo ຫຼື en).",
        "2. ແຜ່ນ «Chuyên đề - Topics»: ແຕ່ລະແຖວແມ່ນໜຶ່ງຫົວຂໍ້ບັນຍາຍ; ເລກຫົວຂໍ້ຕ້ອງບໍ່ຊ້ຳກັນ.",
        "3. ແຜ່ນ «Lịch học - Sessions»: ແຕ່ລະແຖວແມ່ນໜຶ່ງກິດຈະກຳ. ຈຳເປັນຕ້ອງມີ: ວັນທີ, "
        "ເວລາເລີ່ມ, ເວລາສິ້ນສຸດ, ປະເພດ ແລະ ຫົວຂໍ້ເປັນພາສາຫຼັກຂອງຫ້ອງ.",
        "4. ວັນທີຂຽນເປັນ 15/07/2024 ຫຼື 2024-07-15; ເວລາຂຽນເປັນ 07:30 ຫຼື 7h30 (ເວລາທ້ອງຖິ່ນຂອງສະຖານທີ່ຝຶກອົບຮົມ).",
        "5. ປະເພດ: ພິທີເປີດ, ບັນຍາຍ, ທັດສະນະສຶກສາ, ທັດສະນະຈອນ, ຮຽນດ້ວຍຕົນເອງ, ພັກ, "
        "ພິທີປິດ, ອື່ນໆ (ຫຼື ຄຳສັບພາສາຫວຽດ/ອັງກິດທີ່ທຽບເທົ່າ).",
        "6. ທັດສະນະສຶກສາ ແລະ ການເດີນທາງ ຕ້ອງມີເວລາອອກເດີນທາງ ແລະ ຈຸດນັດພົບ; "
        "ຄວນລະບຸພາຫະນະ, ການແຕ່ງກາຍ, ສິ່ງທີ່ຕ້ອງນຳມາ, ເສັ້ນຂະໜານ ແລະ ເສັ້ນແວງ.",
        "7. ຖັນ «Mã / ID»: ກະລຸນາໃຫ້ລະຫັດສະເພາະແກ່ແຕ່ລະກິດຈະກຳ ແລະ ຮັກສາໄວ້ເມື່ອແກ້ໄຂ "
        "ເພື່ອໃຫ້ຜູ້ເຂົ້າຮ່ວມຝຶກອົບຮົມໄດ້ຮັບແຈ້ງການທີ່ຖືກຕ້ອງກ່ຽວກັບການປ່ຽນແປງ.",
        "8. ກິດຈະກຳໃນມື້ດຽວກັນຕ້ອງບໍ່ມີເວລາຊ້ອນກັນ.",
    ),
    "en": (
        "HOW TO FILL IN THE SCHEDULE",
        "1. Sheet 'Lớp học - Class': put each value in column B. Required: class code, the class "
        "name in the default language, time zone (e.g. Asia/Ho_Chi_Minh, Asia/Shanghai), first "
        "day, last day, default language (vi, lo or en).",
        "2. Sheet 'Chuyên đề - Topics': one topic per row; topic numbers must be unique.",
        "3. Sheet 'Lịch học - Sessions': one session per row. Required: date, start, end, kind, "
        "and the title in the class's default language.",
        "4. Dates as 15/07/2024 or 2024-07-15; times as 07:30 or 7h30 (the venue's local time).",
        "5. Kinds: opening, lecture, field visit, trip, self-study, break/lunch, closing, other "
        "(the Vietnamese or Lao words work too).",
        "6. Field visits and trips need a departure time and a meeting point; add transport, "
        "dress code, what to bring, latitude and longitude where you can.",
        "7. Column 'Mã / ID': give each session its own ID and keep it when you edit the "
        "schedule, so trainees are told exactly which session moved or changed.",
        "8. Sessions on the same day must not overlap.",
    ),
}
