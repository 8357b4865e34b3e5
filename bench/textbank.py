"""Aligned phrase banks for the synthetic workbooks: every entry holds the same meaning in en, id, vi, th.

Aligned banks let one random choice give a service consistent text in every language of the directory,
the way a staff member translates an entry row by row. All organizations, people, places, web sites and
phone numbers built from these words are fictional (web and mail domains use the reserved ``.example``).
"""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("en", "id", "vi", "th")

#: default language -> the Country setting the generated workbook uses (phones are read for it).
COUNTRY = {"id": "ID", "vi": "VN", "th": "TH", "en": "ID"}


def aligned(en: str, id_: str, vi: str, th: str) -> dict[str, str]:
    return {"en": en, "id": id_, "vi": vi, "th": th}


# Category code -> relative weight of services whose main category it is.
CATEGORY_WEIGHTS: dict[str, int] = {
    "hotline": 6, "shelter": 10, "medical": 10, "mental_health": 8, "legal": 10, "police": 6,
    "documents": 5, "return_home": 4, "family": 5, "education": 4, "work_training": 6, "material_aid": 5,
    "child_protection": 6, "interpretation": 2, "case_management": 8, "compensation": 2,
}

#: Secondary categories that often come with a main one (what staff tick together).
RELATED: dict[str, tuple[str, ...]] = {
    "hotline": ("case_management", "police"),
    "shelter": ("case_management", "material_aid", "mental_health", "medical"),
    "medical": ("mental_health",),
    "mental_health": ("family",),
    "legal": ("compensation", "documents"),
    "police": ("legal",),
    "documents": ("legal",),
    "return_home": ("family", "material_aid"),
    "family": ("mental_health",),
    "education": ("child_protection",),
    "work_training": ("material_aid", "education"),
    "material_aid": ("return_home",),
    "child_protection": ("shelter", "education"),
    "interpretation": ("legal",),
    "case_management": ("family", "return_home"),
    "compensation": ("legal",),
}

#: Opening sentence of a description, by main category.
OPENERS: dict[str, dict[str, str]] = {
    "hotline": aligned(
        "This hotline answers calls from people who were tricked or forced into work.",
        "Layanan telepon ini menerima panggilan dari orang yang ditipu atau dipaksa bekerja.",
        "Đường dây nóng này nhận cuộc gọi từ những người bị lừa hoặc bị ép buộc làm việc.",
        "สายด่วนนี้รับสายจากผู้ที่ถูกหลอกหรือถูกบังคับให้ทำงาน"),
    "shelter": aligned(
        "We give women and children a safe place to stay for up to three months.",
        "Kami memberi perempuan dan anak tempat tinggal yang aman sampai tiga bulan.",
        "Chúng tôi cho phụ nữ và trẻ em một nơi ở an toàn trong tối đa ba tháng.",
        "เราให้ที่พักที่ปลอดภัยแก่ผู้หญิงและเด็กได้นานถึงสามเดือน"),
    "medical": aligned(
        "Doctors and nurses check your health and treat injuries for free.",
        "Dokter dan perawat memeriksa kesehatan Anda dan merawat luka secara gratis.",
        "Bác sĩ và y tá khám sức khỏe và chữa vết thương cho bạn miễn phí.",
        "แพทย์และพยาบาลตรวจสุขภาพและรักษาบาดแผลให้คุณโดยไม่เสียค่าใช้จ่าย"),
    "mental_health": aligned(
        "A counsellor listens to you and helps you cope with fear and sadness.",
        "Konselor mendengarkan Anda dan membantu Anda menghadapi rasa takut dan sedih.",
        "Nhân viên tư vấn lắng nghe và giúp bạn vượt qua nỗi sợ hãi và buồn bã.",
        "ผู้ให้คำปรึกษาจะรับฟังและช่วยให้คุณรับมือกับความกลัวและความเศร้า"),
    "legal": aligned(
        "Lawyers explain your rights and can go with you to the police and to court.",
        "Pengacara menjelaskan hak-hak Anda dan dapat mendampingi Anda ke polisi dan pengadilan.",
        "Luật sư giải thích quyền của bạn và có thể đi cùng bạn đến công an và tòa án.",
        "ทนายความอธิบายสิทธิของคุณและไปกับคุณที่สถานีตำรวจและศาลได้"),
    "police": aligned(
        "A special police unit takes reports of trafficking and protects witnesses.",
        "Unit khusus kepolisian menerima laporan perdagangan orang dan melindungi saksi.",
        "Một đơn vị công an đặc biệt tiếp nhận tin báo về mua bán người và bảo vệ nhân chứng.",
        "หน่วยตำรวจพิเศษรับแจ้งความคดีค้ามนุษย์และคุ้มครองพยาน"),
    "documents": aligned(
        "We help you get a new identity card, birth certificate or passport.",
        "Kami membantu Anda mendapatkan KTP, akta kelahiran atau paspor baru.",
        "Chúng tôi giúp bạn làm lại căn cước, giấy khai sinh hoặc hộ chiếu.",
        "เราช่วยคุณทำบัตรประชาชน สูติบัตร หรือหนังสือเดินทางใหม่"),
    "return_home": aligned(
        "We help you travel home safely and meet your family on arrival.",
        "Kami membantu Anda pulang dengan aman dan bertemu keluarga saat tiba.",
        "Chúng tôi giúp bạn trở về nhà an toàn và gặp gia đình khi đến nơi.",
        "เราช่วยให้คุณเดินทางกลับบ้านอย่างปลอดภัยและพบครอบครัวเมื่อถึงที่หมาย"),
    "family": aligned(
        "A social worker helps you contact your family and talk about what happened.",
        "Pekerja sosial membantu Anda menghubungi keluarga dan membicarakan apa yang terjadi.",
        "Nhân viên xã hội giúp bạn liên lạc với gia đình và nói về những gì đã xảy ra.",
        "นักสังคมสงเคราะห์ช่วยให้คุณติดต่อครอบครัวและพูดคุยถึงสิ่งที่เกิดขึ้น"),
    "education": aligned(
        "Children and young people can go back to school or join evening classes.",
        "Anak dan remaja dapat kembali bersekolah atau ikut kelas sore.",
        "Trẻ em và thanh thiếu niên có thể đi học lại hoặc tham gia lớp học buổi tối.",
        "เด็กและเยาวชนกลับไปเรียนหนังสือหรือเข้าเรียนภาคค่ำได้"),
    "work_training": aligned(
        "We offer training in sewing, cooking and repair work, and help you find safe jobs.",
        "Kami menawarkan pelatihan menjahit, memasak dan perbengkelan, serta membantu mencari kerja yang aman.",
        "Chúng tôi dạy nghề may, nấu ăn, sửa chữa và giúp bạn tìm việc làm an toàn.",
        "เราฝึกอาชีพตัดเย็บ ทำอาหาร และงานซ่อม และช่วยหางานที่ปลอดภัย"),
    "material_aid": aligned(
        "We give food, clothes, hygiene kits and money for transport.",
        "Kami memberikan makanan, pakaian, perlengkapan kebersihan dan uang transport.",
        "Chúng tôi cung cấp thức ăn, quần áo, đồ dùng vệ sinh và tiền đi lại.",
        "เรามอบอาหาร เสื้อผ้า ชุดของใช้ส่วนตัว และค่าเดินทาง"),
    "child_protection": aligned(
        "Child protection workers keep children under 18 safe and find them a place to live.",
        "Petugas perlindungan anak menjaga anak di bawah 18 tahun tetap aman dan mencarikan tempat tinggal.",
        "Cán bộ bảo vệ trẻ em giữ an toàn cho trẻ dưới 18 tuổi và tìm nơi ở cho các em.",
        "เจ้าหน้าที่คุ้มครองเด็กดูแลเด็กอายุต่ำกว่า 18 ปีให้ปลอดภัยและหาที่พักให้"),
    "interpretation": aligned(
        "Interpreters help you speak with doctors, police and lawyers in your own language.",
        "Penerjemah membantu Anda berbicara dengan dokter, polisi dan pengacara dalam bahasa Anda sendiri.",
        "Phiên dịch viên giúp bạn nói chuyện với bác sĩ, công an và luật sư bằng tiếng của bạn.",
        "ล่ามช่วยให้คุณพูดคุยกับแพทย์ ตำรวจ และทนายความในภาษาของคุณเอง"),
    "case_management": aligned(
        "A case worker makes a plan with you and connects you to every service you need.",
        "Pendamping kasus menyusun rencana bersama Anda dan menghubungkan Anda ke semua layanan yang dibutuhkan.",
        "Nhân viên quản lý ca cùng bạn lập kế hoạch và kết nối bạn với mọi dịch vụ cần thiết.",
        "ผู้จัดการรายกรณีวางแผนร่วมกับคุณและประสานบริการทุกอย่างที่คุณต้องการ"),
    "compensation": aligned(
        "We help you ask the court for money for the harm and the unpaid wages.",
        "Kami membantu Anda mengajukan restitusi ke pengadilan untuk kerugian dan upah yang tidak dibayar.",
        "Chúng tôi giúp bạn yêu cầu tòa án bồi thường thiệt hại và tiền lương chưa được trả.",
        "เราช่วยคุณยื่นคำร้องต่อศาลเพื่อขอค่าชดเชยความเสียหายและค่าจ้างที่ค้างจ่าย"),
}

#: Sentences any description may continue with.
SENTENCES: tuple[dict[str, str], ...] = (
    aligned("You do not need to pay for this service.",
            "Anda tidak perlu membayar untuk layanan ini.",
            "Bạn không phải trả tiền cho dịch vụ này.",
            "คุณไม่ต้องจ่ายเงินสำหรับบริการนี้"),
    aligned("Everything you tell us stays private.",
            "Semua yang Anda ceritakan kepada kami dijaga kerahasiaannya.",
            "Mọi điều bạn kể với chúng tôi đều được giữ kín.",
            "ทุกอย่างที่คุณเล่าให้เราฟังจะถูกเก็บเป็นความลับ"),
    aligned("You can come even if you have no papers.",
            "Anda tetap bisa datang walaupun tidak punya dokumen.",
            "Bạn vẫn có thể đến dù không có giấy tờ.",
            "คุณมาได้แม้ไม่มีเอกสาร"),
    aligned("Staff speak the local language and can find an interpreter.",
            "Petugas berbicara bahasa setempat dan bisa mencarikan penerjemah.",
            "Nhân viên nói tiếng địa phương và có thể tìm phiên dịch viên.",
            "เจ้าหน้าที่พูดภาษาท้องถิ่นและหาล่ามให้ได้"),
    aligned("Call before you come so that someone can meet you.",
            "Telepon dulu sebelum datang agar ada yang menemui Anda.",
            "Hãy gọi trước khi đến để có người đón bạn.",
            "โทรก่อนมาเพื่อให้มีคนรอพบคุณ"),
    aligned("Women staff are available if you prefer to speak with a woman.",
            "Tersedia petugas perempuan jika Anda lebih nyaman berbicara dengan perempuan.",
            "Có nhân viên nữ nếu bạn muốn nói chuyện với phụ nữ.",
            "มีเจ้าหน้าที่ผู้หญิงหากคุณอยากคุยกับผู้หญิง"),
    aligned("We work together with the police, hospitals and social services in the district.",
            "Kami bekerja sama dengan polisi, rumah sakit dan dinas sosial di kabupaten ini.",
            "Chúng tôi phối hợp với công an, bệnh viện và cơ quan xã hội trong huyện.",
            "เราทำงานร่วมกับตำรวจ โรงพยาบาล และหน่วยงานสังคมในอำเภอ"),
    aligned("Migrant workers who came back from abroad are welcome.",
            "Pekerja migran yang baru pulang dari luar negeri dipersilakan datang.",
            "Người lao động di cư trở về từ nước ngoài đều được chào đón.",
            "แรงงานข้ามชาติที่กลับจากต่างประเทศมาขอรับบริการได้"),
    aligned("If you are in danger now, call the hotline at any time.",
            "Jika Anda dalam bahaya sekarang, hubungi hotline kapan saja.",
            "Nếu bạn đang gặp nguy hiểm, hãy gọi đường dây nóng bất cứ lúc nào.",
            "หากคุณตกอยู่ในอันตรายตอนนี้ โทรสายด่วนได้ตลอดเวลา"),
    aligned("A social worker visits you at home or in the shelter.",
            "Pekerja sosial mengunjungi Anda di rumah atau di rumah aman.",
            "Nhân viên xã hội sẽ đến thăm bạn tại nhà hoặc tại nhà tạm lánh.",
            "นักสังคมสงเคราะห์จะไปเยี่ยมคุณที่บ้านหรือที่บ้านพัก"),
    aligned("We can pay for your transport to reach the office.",
            "Kami dapat mengganti ongkos transport Anda ke kantor.",
            "Chúng tôi có thể trả tiền đi lại để bạn đến văn phòng.",
            "เราช่วยออกค่าเดินทางมาที่สำนักงานให้ได้"),
    aligned("Children can stay with their mother.",
            "Anak-anak boleh tinggal bersama ibunya.",
            "Trẻ em có thể ở cùng mẹ.",
            "เด็กพักอยู่กับแม่ได้"),
    aligned("You decide what you want to do, and we respect your choice.",
            "Anda yang memutuskan apa yang ingin dilakukan, dan kami menghormati pilihan Anda.",
            "Bạn tự quyết định điều mình muốn làm và chúng tôi tôn trọng lựa chọn của bạn.",
            "คุณเป็นผู้ตัดสินใจเองว่าจะทำอะไร และเราเคารพการตัดสินใจของคุณ"),
    aligned("We can help you write a complaint against the agent or employer.",
            "Kami dapat membantu Anda menulis pengaduan terhadap calo atau majikan.",
            "Chúng tôi có thể giúp bạn viết đơn khiếu nại người môi giới hoặc chủ sử dụng lao động.",
            "เราช่วยคุณเขียนคำร้องเรียนนายหน้าหรือนายจ้างได้"),
    aligned("Bring any papers you have, such as a contract or a payslip.",
            "Bawa dokumen yang Anda miliki, seperti kontrak kerja atau slip gaji.",
            "Hãy mang theo giấy tờ bạn có, như hợp đồng hoặc phiếu lương.",
            "นำเอกสารที่มีติดตัวมาด้วย เช่น สัญญาจ้างหรือสลิปเงินเดือน"),
    aligned("The office is near the market and the bus station.",
            "Kantor kami dekat pasar dan terminal bus.",
            "Văn phòng ở gần chợ và bến xe.",
            "สำนักงานอยู่ใกล้ตลาดและสถานีขนส่ง"),
    aligned("There is a ramp for wheelchairs and a quiet room for children.",
            "Ada jalur landai untuk kursi roda dan ruang tenang untuk anak-anak.",
            "Có lối đi cho xe lăn và phòng yên tĩnh cho trẻ em.",
            "มีทางลาดสำหรับรถเข็นและห้องเงียบสำหรับเด็ก"),
    aligned("We follow up with you for six months after you leave.",
            "Kami tetap mendampingi Anda selama enam bulan setelah Anda keluar.",
            "Chúng tôi tiếp tục hỗ trợ bạn trong sáu tháng sau khi bạn rời đi.",
            "เราติดตามดูแลคุณต่อเนื่องหกเดือนหลังจากคุณออกไป"),
    aligned("Men and boys who were exploited on fishing boats can also ask for help.",
            "Laki-laki dan anak laki-laki yang dieksploitasi di kapal ikan juga dapat meminta bantuan.",
            "Nam giới và trẻ em trai bị bóc lột trên tàu cá cũng có thể xin giúp đỡ.",
            "ผู้ชายและเด็กผู้ชายที่ถูกแสวงประโยชน์บนเรือประมงก็ขอความช่วยเหลือได้"),
    aligned("Our team has helped more than two hundred survivors since it opened.",
            "Tim kami telah membantu lebih dari dua ratus penyintas sejak dibuka.",
            "Đội ngũ của chúng tôi đã giúp hơn hai trăm người sống sót kể từ khi thành lập.",
            "ทีมของเราช่วยเหลือผู้รอดชีวิตมาแล้วกว่าสองร้อยคนนับตั้งแต่เปิดทำการ"),
)

#: Short service names, two per main category.
SERVICE_NAMES: dict[str, tuple[dict[str, str], ...]] = {
    "hotline": (
        aligned("Help line for victims", "Saluran bantuan korban", "Đường dây hỗ trợ nạn nhân",
                "สายด่วนช่วยเหลือผู้เสียหาย"),
        aligned("Report line for trafficking", "Saluran pengaduan perdagangan orang",
                "Đường dây tố giác mua bán người", "สายแจ้งเหตุค้ามนุษย์"),
    ),
    "shelter": (
        aligned("Safe house for women and girls", "Rumah aman untuk perempuan dan anak perempuan",
                "Nhà tạm lánh cho phụ nữ và trẻ em gái", "บ้านพักปลอดภัยสำหรับผู้หญิงและเด็กหญิง"),
        aligned("Shelter for men", "Rumah singgah untuk laki-laki", "Nhà tạm lánh cho nam giới",
                "บ้านพักชั่วคราวสำหรับผู้ชาย"),
    ),
    "medical": (
        aligned("Health check and treatment", "Pemeriksaan dan pengobatan", "Khám và chữa bệnh",
                "ตรวจและรักษาโรค"),
        aligned("Clinic for survivors", "Klinik untuk penyintas", "Phòng khám cho người bị hại",
                "คลินิกสำหรับผู้เสียหาย"),
    ),
    "mental_health": (
        aligned("Counselling", "Konseling", "Tư vấn tâm lý", "ให้คำปรึกษาด้านจิตใจ"),
        aligned("Support group", "Kelompok dukungan", "Nhóm hỗ trợ", "กลุ่มช่วยเหลือกัน"),
    ),
    "legal": (
        aligned("Free legal advice", "Bantuan hukum gratis", "Tư vấn pháp lý miễn phí", "คำปรึกษากฎหมายฟรี"),
        aligned("Help in court", "Pendampingan di pengadilan", "Hỗ trợ tại tòa án", "ช่วยเหลือในชั้นศาล"),
    ),
    "police": (
        aligned("Women and children police unit", "Unit Pelayanan Perempuan dan Anak",
                "Đội công an bảo vệ phụ nữ và trẻ em", "หน่วยตำรวจคุ้มครองเด็กและสตรี"),
        aligned("Anti-trafficking police", "Satuan tugas anti perdagangan orang",
                "Công an phòng chống mua bán người", "ตำรวจปราบปรามการค้ามนุษย์"),
    ),
    "documents": (
        aligned("New identity papers", "Pembuatan dokumen identitas", "Làm lại giấy tờ tùy thân",
                "ทำเอกสารประจำตัวใหม่"),
        aligned("Birth certificates", "Akta kelahiran", "Giấy khai sinh", "สูติบัตร"),
    ),
    "return_home": (
        aligned("Safe return home", "Pemulangan yang aman", "Hỗ trợ hồi hương an toàn",
                "ส่งกลับบ้านอย่างปลอดภัย"),
        aligned("Travel home for migrant workers", "Pemulangan pekerja migran", "Đưa lao động di cư về quê",
                "ส่งแรงงานข้ามชาติกลับบ้าน"),
    ),
    "family": (
        aligned("Family tracing", "Penelusuran keluarga", "Tìm kiếm gia đình", "ตามหาครอบครัว"),
        aligned("Family support", "Dukungan keluarga", "Hỗ trợ gia đình", "ช่วยเหลือครอบครัว"),
    ),
    "education": (
        aligned("Back to school", "Kembali bersekolah", "Trở lại trường học", "กลับไปเรียนหนังสือ"),
        aligned("Evening classes", "Kelas sore", "Lớp học buổi tối", "ชั้นเรียนภาคค่ำ"),
    ),
    "work_training": (
        aligned("Job training", "Pelatihan kerja", "Dạy nghề", "ฝึกอาชีพ"),
        aligned("Small business help", "Bantuan usaha kecil", "Hỗ trợ kinh doanh nhỏ", "ช่วยเริ่มธุรกิจเล็ก"),
    ),
    "material_aid": (
        aligned("Food and clothes", "Makanan dan pakaian", "Thực phẩm và quần áo", "อาหารและเสื้อผ้า"),
        aligned("Emergency money", "Bantuan uang darurat", "Hỗ trợ tiền khẩn cấp", "เงินช่วยเหลือฉุกเฉิน"),
    ),
    "child_protection": (
        aligned("Child protection", "Perlindungan anak", "Bảo vệ trẻ em", "คุ้มครองเด็ก"),
        aligned("Children's home", "Rumah perlindungan anak", "Nhà bảo trợ trẻ em", "บ้านพักเด็ก"),
    ),
    "interpretation": (
        aligned("Interpreters", "Layanan penerjemah", "Phiên dịch", "บริการล่าม"),
        aligned("Sign language help", "Juru bahasa isyarat", "Phiên dịch ngôn ngữ ký hiệu", "ล่ามภาษามือ"),
    ),
    "case_management": (
        aligned("Case worker", "Pendampingan kasus", "Quản lý trường hợp", "ผู้จัดการรายกรณี"),
        aligned("One-stop help desk", "Layanan terpadu satu pintu", "Điểm hỗ trợ một cửa",
                "ศูนย์บริการเบ็ดเสร็จ"),
    ),
    "compensation": (
        aligned("Claim compensation", "Pengajuan restitusi", "Yêu cầu bồi thường", "ยื่นขอค่าชดเชย"),
        aligned("Unpaid wages", "Penagihan upah", "Đòi tiền lương", "ทวงค่าจ้างค้างจ่าย"),
    ),
}

HOW_TO_GET_HELP: tuple[dict[str, str], ...] = (
    aligned("Call first. A social worker meets you.", "Telepon dulu. Pekerja sosial akan menemui Anda.",
            "Gọi điện trước. Nhân viên xã hội sẽ gặp bạn.", "โทรมาก่อน นักสังคมสงเคราะห์จะมาพบคุณ"),
    aligned("Come to the office. No appointment needed.", "Datang langsung ke kantor. Tidak perlu janji.",
            "Đến thẳng văn phòng. Không cần hẹn trước.", "มาที่สำนักงานได้เลย ไม่ต้องนัดล่วงหน้า"),
    aligned("Send a WhatsApp message. We answer within one day.",
            "Kirim pesan WhatsApp. Kami membalas dalam satu hari.",
            "Nhắn tin WhatsApp. Chúng tôi trả lời trong một ngày.", "ส่งข้อความทาง WhatsApp เราตอบภายในหนึ่งวัน"),
    aligned("Ask the police or a hospital to refer you.", "Minta polisi atau rumah sakit merujuk Anda.",
            "Nhờ công an hoặc bệnh viện giới thiệu bạn đến.", "ขอให้ตำรวจหรือโรงพยาบาลส่งต่อคุณมา"),
    aligned("Call the hotline. We come to you.", "Hubungi hotline. Kami akan datang menjemput.",
            "Gọi đường dây nóng. Chúng tôi sẽ đến chỗ bạn.", "โทรสายด่วน เราจะไปหาคุณ"),
    aligned("Go to the front desk and ask for the case worker.",
            "Datang ke meja depan dan minta bertemu pendamping.",
            "Đến quầy lễ tân và hỏi gặp cán bộ phụ trách.", "ไปที่โต๊ะประชาสัมพันธ์และขอพบเจ้าหน้าที่"),
)

DOCUMENTS: tuple[dict[str, str], ...] = (
    aligned("None needed.", "Tidak perlu dokumen.", "Không cần giấy tờ.", "ไม่ต้องใช้เอกสาร"),
    aligned("Any ID if you have one. You can come without papers.", "KTP jika ada. Boleh datang tanpa dokumen.",
            "Giấy tờ tùy thân nếu có. Không có vẫn đến được.", "บัตรประชาชนถ้ามี ไม่มีเอกสารก็มาได้"),
    aligned("Referral letter from the police or social services.",
            "Surat rujukan dari polisi atau dinas sosial.",
            "Giấy giới thiệu của công an hoặc phòng lao động xã hội.", "หนังสือส่งตัวจากตำรวจหรือหน่วยงานสังคม"),
    aligned("Passport or work contract, if you still have them.", "Paspor atau kontrak kerja, jika masih ada.",
            "Hộ chiếu hoặc hợp đồng lao động, nếu còn.", "หนังสือเดินทางหรือสัญญาจ้าง ถ้ายังมีอยู่"),
)

COST_DETAILS: tuple[dict[str, str], ...] = (
    aligned("Medicine is free; some tests cost money.", "Obat gratis; beberapa tes berbayar.",
            "Thuốc miễn phí; một số xét nghiệm phải trả tiền.", "ยาฟรี การตรวจบางอย่างมีค่าใช้จ่าย"),
    aligned("Free for survivors of trafficking.", "Gratis bagi korban perdagangan orang.",
            "Miễn phí cho nạn nhân mua bán người.", "ฟรีสำหรับผู้เสียหายจากการค้ามนุษย์"),
    aligned("A small fee for the certificate.", "Biaya kecil untuk surat keterangan.",
            "Lệ phí nhỏ khi cấp giấy.", "ค่าธรรมเนียมเล็กน้อยสำหรับใบรับรอง"),
)

HOURS: tuple[dict[str, str], ...] = (
    aligned("Mon-Fri 08:00-16:00", "Senin-Jumat 08.00-16.00", "Thứ 2 - Thứ 6: 7h30-17h00",
            "จันทร์-ศุกร์ 08.30-16.30 น."),
    aligned("Mon-Sat 09:00-17:00", "Senin-Sabtu 09.00-17.00", "Thứ 2 - Thứ 7: 8h00-17h00",
            "จันทร์-เสาร์ 09.00-17.00 น."),
    aligned("Every day, 24 hours", "Setiap hari, 24 jam", "Tất cả các ngày, 24 giờ", "ทุกวัน 24 ชั่วโมง"),
    aligned("Mon-Thu 08:00-15:00, Fri 08:00-11:30", "Senin-Kamis 08.00-15.00, Jumat 08.00-11.30",
            "Thứ 2 - Thứ 5: 8h-15h, Thứ 6: 8h-11h30", "จันทร์-พฤหัสบดี 08.00-15.00 น. ศุกร์ 08.00-11.30 น."),
    aligned("Tue and Thu 13:00-17:00", "Selasa dan Kamis 13.00-17.00", "Thứ 3 và Thứ 5: 13h-17h",
            "อังคารและพฤหัสบดี 13.00-17.00 น."),
)

ACCESSIBILITY: tuple[dict[str, str], ...] = (
    aligned("Wheelchair access", "Akses kursi roda", "Có lối đi cho xe lăn", "รถเข็นเข้าได้"),
    aligned("Sign language on request", "Bahasa isyarat jika diminta", "Có phiên dịch ký hiệu khi yêu cầu",
            "มีล่ามภาษามือเมื่อขอ"),
    aligned("Ground floor, no stairs", "Lantai dasar, tanpa tangga", "Tầng trệt, không có bậc thang",
            "ชั้นล่าง ไม่มีบันได"),
)

TITLE = aligned("Directory of Services for Trafficking Victims",
                "Direktori Layanan bagi Korban Perdagangan Orang",
                "Danh bạ dịch vụ hỗ trợ nạn nhân mua bán người",
                "สมุดรายชื่อบริการสำหรับผู้เสียหายจากการค้ามนุษย์")
EDITION = aligned("Second edition", "Edisi kedua", "Ấn bản thứ hai", "ฉบับที่ 2")
PUBLISHER = aligned("Blue River Anti-Trafficking Network", "Jaringan Anti Perdagangan Orang Nusa Raya",
                    "Liên minh Hỗ trợ Nạn nhân Sông Xanh", "เครือข่ายต่อต้านการค้ามนุษย์ลุ่มน้ำทอง")

NOTES = aligned("Called to check, number confirmed.", "Sudah ditelepon, nomor benar.",
                "Đã gọi kiểm tra, số đúng.", "โทรตรวจสอบแล้ว เบอร์ถูกต้อง")

# ------------------------------------------------------------------------------------ country-specific

@dataclass(frozen=True)
class PhonePlan:
    """How local numbers look in one country: area codes, mobile prefixes, short hotlines."""

    area: tuple[str, ...]
    area_digits: int  # subscriber digits after a 2- or 3-character area code
    mobile: tuple[str, ...]
    mobile_digits: int  # digits after the mobile prefix
    short: tuple[str, ...]
    #: Countries where every landline has the same number of digits after the trunk 0 (Viet Nam 10,
    #: Thailand 8): the subscriber part is what the area code leaves. Numbers must be valid, not only
    #: the right shape: the checker refuses a landline one digit short or long.
    national_digits: int | None = None


PHONE_PLANS: dict[str, PhonePlan] = {
    "ID": PhonePlan(area=("021", "022", "024", "031", "0274", "0361", "0411", "061", "0711", "0370"),
                    area_digits=7, mobile=("0811", "0812", "0813", "0821", "0852", "0857", "0878", "0896"),
                    mobile_digits=8, short=("129", "110", "112", "1500771")),
    "VN": PhonePlan(area=("024", "028", "0236", "0225", "0292", "0203", "0208", "0234"), area_digits=7,
                    mobile=("090", "091", "098", "097", "086", "083", "093"), mobile_digits=7,
                    short=("111", "113", "1800 1567"), national_digits=10),
    "TH": PhonePlan(area=("02", "053", "043", "074", "038", "045", "055"), area_digits=7,
                    mobile=("081", "089", "086", "092", "062", "095", "061"), mobile_digits=7,
                    short=("1300", "191", "1546", "1191"), national_digits=8),
}

NATIONAL_HOTLINES = {
    "ID": "Polisi: 110; SAPA Perempuan dan Anak: 129",
    "VN": "Tổng đài bảo vệ trẻ em: 111; Công an: 113; Đường dây nóng phòng chống mua bán người: 1800 1567",
    "TH": "ศูนย์ช่วยเหลือสังคม: 1300; ตำรวจ: 191; สายด่วนแรงงาน: 1546",
}

EMERGENCY_NAMES = {
    "ID": ("Polisi", "Ambulans", "Polres"),
    "VN": ("Công an", "Cấp cứu", "Công an huyện"),
    "TH": ("ตำรวจ", "รถพยาบาล", "สถานีตำรวจ"),
}
EMERGENCY_SHORT = {"ID": ("110", "118"), "VN": ("113", "115"), "TH": ("191", "1669")}

#: Latitude and longitude boxes that fall inside each country (roughly).
GEO_BOX = {"ID": (-8.5, -0.5, 100.0, 120.0), "VN": (9.5, 21.5, 104.0, 108.5), "TH": (7.0, 19.5, 98.5, 104.5)}

# District and province names: syllables joined the way each language forms place names.
PLACE_SYLLABLES = {
    "ID": ("Suka", "Maju", "Tanjung", "Rawa", "Sari", "Jaya", "Mekar", "Batu", "Karang", "Sungai", "Pasir",
           "Bukit", "Teluk", "Lembah", "Rejo", "Mulya", "Wangi", "Harjo", "Purwa", "Kali"),
    "VN": ("An", "Bình", "Phú", "Hòa", "Tân", "Long", "Thạnh", "Đông", "Tây", "Mỹ", "Quang", "Vĩnh",
           "Phước", "Hưng", "Thuận", "Lộc", "Sơn", "Hải"),
    "TH": ("บ้าน", "นา", "โพธิ์", "ทอง", "ศรี", "สุข", "เมือง", "หนอง", "ดอน", "ท่า", "วัง", "สาม", "ชัย",
           "แก้ว", "น้ำ", "ใหม่", "คำ", "เขา"),
}
DISTRICT_PREFIX = {"ID": ("Kabupaten ", "Kota "), "VN": ("Huyện ", "Thị xã "), "TH": ("อำเภอ",)}
PROVINCE_PREFIX = {"ID": "Provinsi ", "VN": "Tỉnh ", "TH": "จังหวัด"}
PLACE_JOIN = {"ID": "", "VN": " ", "TH": ""}

STREETS = {
    "ID": ("Jl. Merdeka", "Jl. Pahlawan", "Jl. Melati", "Jl. Kenanga", "Jl. Cempaka", "Jl. Flamboyan",
           "Jl. Diponegoro", "Jl. Veteran"),
    "VN": ("đường Lê Lợi", "đường Trần Hưng Đạo", "đường Nguyễn Trãi", "đường Hai Bà Trưng",
           "đường Quang Trung", "đường Lý Thường Kiệt"),
    "TH": ("ถนนพหลโยธิน", "ถนนมิตรภาพ", "ถนนเพชรเกษม", "ถนนสุขุมวิท", "ถนนราชดำเนิน", "ถนนนิมมานเหมินท์"),
}

FIRST_NAMES = {
    "ID": ("Ibu Sri", "Ibu Dewi", "Ibu Ratna", "Bapak Agus", "Bapak Budi", "Ibu Wulan", "Bapak Hendra"),
    "VN": ("Chị Lan", "Chị Hoa", "Anh Hùng", "Chị Mai", "Anh Minh", "Chị Thu", "Anh Tuấn"),
    "TH": ("คุณสมศรี", "คุณมาลี", "คุณประเสริฐ", "คุณวันเพ็ญ", "คุณสมชาย", "คุณนภา", "คุณอรุณ"),
}
LAST_NAMES = {
    "ID": ("Wahyuni", "Santoso", "Lestari", "Hidayat", "Kurniawati", "Siregar", "Pratama"),
    "VN": ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng"),
    "TH": ("ใจดี", "ทองคำ", "ศรีสุข", "แก้วมณี", "บุญมา", "สายทอง", "มีสุข"),
}

#: Words for fictional organization names, and patterns by kind: (pattern, organization type).
ORG_WORDS = {
    "ID": ("Harapan", "Cahaya", "Pelita", "Bunga", "Mentari", "Bakti", "Kasih", "Sejahtera", "Mandiri",
           "Bangkit", "Lestari", "Bersama", "Insan", "Peduli", "Sahabat", "Nurani"),
    "VN": ("Hy Vọng", "Bình An", "Ánh Sáng", "Sen Vàng", "Đồng Hành", "Vòng Tay", "Mái Ấm", "Nắng Mới",
           "Tương Lai", "Thiện Tâm", "Hòa Bình", "An Khang"),
    "TH": ("แสงเทียน", "ดวงดาว", "รักษ์เด็ก", "เพื่อนหญิง", "ใจดี", "สายใย", "ประทีป", "ร่มไม้", "บ้านอุ่น",
           "ฟ้าใส", "พลังใจ", "ศรีสุข"),
}
ORG_PATTERNS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "ID": {
        "ngo": (("Yayasan {a} {b}", "ngo"), ("Perkumpulan {a} {b}", "ngo")),
        "legal": (("Lembaga Bantuan Hukum {a}", "ngo"), ("Kantor Hukum {a} dan Rekan", "private")),
        "medical": (("RSUD {place}", "government"), ("Klinik {a} Medika", "private"), ("Puskesmas {place}", "government")),
        "police": (("Polres {place}", "government"),),
        "gov": (("Dinas Sosial {district}", "government"), ("UPTD PPA {district}", "government")),
        "community": (("Kelompok Perempuan {a}", "community"), ("Yayasan Kasih {a}", "religious")),
        "international": (("Mitra Migran Internasional", "international"),),
    },
    "VN": {
        "ngo": (("Trung tâm {a} {b}", "ngo"), ("Quỹ {a} {b}", "ngo")),
        "legal": (("Văn phòng Luật sư {a}", "private"), ("Trung tâm Trợ giúp pháp lý {a}", "ngo")),
        "medical": (("Bệnh viện Đa khoa {district}", "government"), ("Phòng khám {a}", "private"),
                    ("Trạm Y tế {place}", "government")),
        "police": (("Công an {district}", "government"),),
        "gov": (("Phòng Lao động - Thương binh và Xã hội {district}", "government"),
                ("Trung tâm Công tác xã hội {district}", "government")),
        "community": (("Hội Phụ nữ xã {a}", "community"), ("Nhóm từ thiện Giáo xứ {a}", "religious")),
        "international": (("Tổ chức Hỗ trợ Di cư Quốc tế Mê Kông", "international"),),
    },
    "TH": {
        "ngo": (("มูลนิธิ{a}{b}", "ngo"), ("สมาคม{a}", "ngo")),
        "legal": (("สำนักงานกฎหมาย{a}", "private"), ("ศูนย์ช่วยเหลือทางกฎหมาย{a}", "ngo")),
        "medical": (("ศูนย์พึ่งได้ โรงพยาบาล{place}", "government"), ("คลินิก{a}การแพทย์", "private")),
        "police": (("สถานีตำรวจภูธร{place}", "government"),),
        "gov": (("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์{district}", "government"),
                ("บ้านพักเด็กและครอบครัว{district}", "government")),
        "community": (("กลุ่มสตรีบ้าน{a}", "community"), ("มูลนิธิวัด{a}", "religious")),
        "international": (("องค์การช่วยเหลือแรงงานข้ามชาติลุ่มน้ำโขง", "international"),),
    },
}

#: Main category -> which organization patterns provide it.
ORG_KIND_BY_CATEGORY = {
    "hotline": ("gov", "ngo"), "shelter": ("ngo", "gov", "community"), "medical": ("medical",),
    "mental_health": ("ngo", "medical"), "legal": ("legal",), "police": ("police",), "documents": ("gov",),
    "return_home": ("gov", "international", "ngo"), "family": ("ngo", "community"), "education": ("ngo", "gov"),
    "work_training": ("ngo", "community"), "material_aid": ("community", "ngo"),
    "child_protection": ("gov", "ngo"), "interpretation": ("ngo", "international"),
    "case_management": ("gov", "ngo"), "compensation": ("legal",),
}

#: Languages staff list as spoken, by country (codes or names, as staff type them).
SPOKEN = {
    "ID": ("id", "id; en", "id; jv", "Indonesia; Inggris", "id; en; ms"),
    "VN": ("vi", "vi; en", "Tiếng Việt; English", "vi; km"),
    "TH": ("th", "th; en", "th; my", "Thai; English; Lao"),
}
