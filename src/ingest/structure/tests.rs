//! The outline on real shapes of text: numbered headings on their own lines and inline,
//! enumerations inside paragraphs, unnumbered headings, pieces with their dates.

use super::*;

fn lines(text: &str) -> Vec<SourceLine> {
    text.lines().map(SourceLine::plain).collect()
}

fn headings(outline: &Outline) -> Vec<String> {
    fn walk(sections: &[OutlineSection], depth: usize, out: &mut Vec<String>) {
        for s in sections {
            out.push(format!("{}{}|{}", "-".repeat(depth), s.number, s.title));
            walk(&s.children, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(&outline.sections, 0, &mut out);
    out
}

#[test]
fn inline_headings_in_one_run_of_text() {
    let text = "下面,我讲三点看法。一、关于前段全市民政工作状况 今年前 8 个月,成果可喜。(一)兢兢业业保民生,保障了困难群体的基本生活。全市民政系统主动应对。(二)勤勤恳恳保发展,开创了良好局面。今年来,全市开创了局面。";
    let outline = outline(&lines(text), Shape::RunOn);
    assert_eq!(outline.preamble, vec!["下面,我讲三点看法。"]);
    assert_eq!(
        headings(&outline),
        vec![
            "一|关于前段全市民政工作状况",
            "-(一)|兢兢业业保民生,保障了困难群体的基本生活",
            "-(二)|勤勤恳恳保发展,开创了良好局面",
        ]
    );
    assert_eq!(outline.sections[0].blocks, vec!["今年前 8 个月,成果可喜。"]);
    assert_eq!(
        outline.sections[0].children[1].blocks,
        vec!["今年来,全市开创了局面。"]
    );
}

#[test]
fn full_width_and_half_width_markers_on_their_own_lines() {
    let text = "      一、2013年工作回顾\n过去一年。\n    （一）推动改革。\n改革是首要任务。\n（二）开放\n1．加强领导\n内容。\n（1）细则\n内容。\n 二、2014年工作\n内容。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&outline),
        vec![
            "一|2013年工作回顾",
            "-（一）|推动改革",
            "-（二）|开放",
            "--1．|加强领导",
            "---（1）|细则",
            "二|2014年工作",
        ]
    );
}

#[test]
fn bare_numeral_headings_only_on_their_own_line() {
    let text = "一 重工业和轻工业、农业的关系\n重点是重工业。\n二 沿海工业和内地工业的关系\n一 个问题要讲清楚，这句话很长很长很长很长很长很长很长很长很长很长很长。\n注释\n[1]义务交售制。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&outline),
        vec![
            "一|重工业和轻工业、农业的关系",
            "二|沿海工业和内地工业的关系",
            "|注释"
        ]
    );
    assert_eq!(outline.sections[2].blocks, vec!["[1]义务交售制。"]);
}

#[test]
fn numbers_out_of_sequence_inline_stay_text() {
    let text = "同志们:我讲三点。三、这不是标题。一、第一点。内容。3.这也不是。";
    let outline = outline(&lines(text), Shape::RunOn);
    assert_eq!(headings(&outline), vec!["一|第一点"]);
    assert_eq!(outline.preamble, vec!["同志们:我讲三点。三、这不是标题。"]);
    assert_eq!(outline.sections[0].blocks, vec!["内容。3.这也不是。"]);
}

#[test]
fn decimals_and_dates_are_not_headings() {
    let text = "增加 1.5 亿元以上。1 至 8 月,收治 923 人。2009 年方案。";
    let outline = outline(&lines(text), Shape::RunOn);
    assert!(outline.sections.is_empty());
    assert_eq!(outline.preamble, vec![text]);
}

#[test]
fn part_headings_contain_numbered_sections() {
    let text = "第一部分 总体要求\n一、指导思想\n内容。\n第二部分 重点任务\n一、稳增长\n内容。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&outline),
        vec![
            "第一部分|总体要求",
            "-一|指导思想",
            "第二部分|重点任务",
            "-一|稳增长"
        ]
    );
}

#[test]
fn declared_headings_nest_by_level() {
    let source = vec![
        SourceLine {
            text: "背景".into(),
            declared_heading: Some(2),
        },
        SourceLine::plain("内容。"),
        SourceLine {
            text: "细节".into(),
            declared_heading: Some(3),
        },
        SourceLine::plain("更多内容。"),
    ];
    assert_eq!(
        headings(&outline(&source, Shape::Lines)),
        vec!["|背景", "-|细节"]
    );
}

#[test]
fn enumerations_inside_paragraphs_are_not_headings() {
    let text = "一、主要问题\n主要表现在以下几个方面:一、是投入不足。二、是效率不高。三、是管理粗放。\n标准如下:(一)收入低；(二)无劳动能力；(三)无赡养人。\n二、下一步工作\n内容。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(headings(&outline), vec!["一|主要问题", "二|下一步工作"]);
    assert_eq!(outline.sections[0].blocks.len(), 2);
}

#[test]
fn a_numbering_that_starts_again_inside_a_section_is_a_list() {
    let text = "一、总任务\n内容。\n二、若干问题\n（一）基本建设\n我们提出以下措施。\n一、提高设计工作，确立正确思想。\n二、加强施工的技术指导。\n三、各方面协同工作。\n四、经常检查工程质量。\n（二）工业生产\n内容。\n一、继续保持收支平衡；\n二、发展物资交流；\n（三）培养干部\n内容。\n三、为完成计划而奋斗\n内容。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&outline),
        vec![
            "一|总任务",
            "二|若干问题",
            "-（一）|基本建设",
            "-（二）|工业生产",
            "-（三）|培养干部",
            "三|为完成计划而奋斗"
        ]
    );
    assert_eq!(outline.sections[1].children[0].blocks.len(), 5);
}

#[test]
fn lone_numerals_question_headings_and_letter_spaced_names() {
    let text = "在干部会议上的讲话\n（一九四八年四月一日）\n同志们，今天我讲几个问题。\n一\n土地改革是成功的。\n二\n整党也是成功的。\n十 这件事能否办好?\n能办好。\n结 论\n总之，要团结。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&outline),
        vec!["一|", "二|", "十|这件事能否办好?", "|结论"]
    );
    assert_eq!(
        outline.preamble.len(),
        3,
        "title, date and opening stay before the outline"
    );
}

#[test]
fn short_unnumbered_lines_between_paragraphs_are_headings() {
    let text = "1983年政府工作报告\n——1983年6月6日在第六届全国人民代表大会第一次会议上\n国务院总理赵紫阳\n各位代表：\n我代表国务院作报告。\n过去五年的回顾\n五年来成绩很大。\n今后五年的主要任务\n任务很重。\n（一）关于经济建设\n内容。\n（二）关于经济体制改革\n内容。\n各位代表！\n让我们团结起来。";
    let report = outline(&lines(text), Shape::Lines);
    assert_eq!(
        headings(&report),
        vec![
            "|过去五年的回顾",
            "|今后五年的主要任务",
            "-（一）|关于经济建设",
            "-（二）|关于经济体制改革"
        ]
    );
    let english = "Fellow Deputies,\nOn behalf of the State Council, I now report.\nReview of our work in 2016\nThe economy grew.\n1. Growth\nIt was steady.\nWhat we will do in 2017\nMuch remains.";
    assert_eq!(
        headings(&outline(&lines(english), Shape::Lines)),
        vec![
            "|Review of our work in 2016",
            "-1.|Growth",
            "|What we will do in 2017"
        ]
    );
}

#[test]
fn pieces_in_one_file_keep_their_dates() {
    let text = "在党的代表大会上的讲话\n开 幕 词\n（一九五六年九月十五日）\n同志们：大会开幕了。\n一\n第一点。\n结 论\n（一九五六年九月二十六日）\n同志们：大会闭幕了。\n一\n总结。";
    let outline = outline(&lines(text), Shape::Lines);
    assert_eq!(headings(&outline), vec!["|开幕词", "-一|", "|结论", "-一|"]);
    assert_eq!(
        outline.sections[1].dateline.as_deref(),
        Some("（一九五六年九月二十六日）")
    );
    assert_eq!(outline.sections[0].blocks, vec!["同志们：大会开幕了。"]);
}

#[test]
fn run_on_list_items_without_text_of_their_own_stay_text() {
    let text = "我讲三点。一、关于形势 今年形势很好,成绩显著。主要表现在:一是增长。二是就业。二、关于任务 要做好工作,抓好落实。(一)抓投资。(二)抓消费。(三)抓出口,把各项工作做实做细。";
    let outline = outline(&lines(text), Shape::RunOn);
    assert_eq!(
        headings(&outline),
        vec!["一|关于形势", "二|关于任务"],
        "一是, 二是 and the (一) (二) (三) list are items, not headings"
    );
}
