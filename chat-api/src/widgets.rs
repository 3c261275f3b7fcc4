//! Every kind of widget converts into a [`Widget`], so a section takes its widgets
//! directly (`Section::new().set_widgets([TextParagraph::new()...])`) and a list of
//! mixed kinds is `[Widget::from(a), Widget::from(b)]`. The card types themselves are
//! generated, in [`crate::cards`].

use crate::cards::{
    ButtonList, Carousel, ChipList, Columns, DateTimePicker, DecoratedText, Divider, Grid, Image,
    SelectionInput, TextInput, TextParagraph, Widget, WidgetHorizontalAlignment, WidgetVisibility,
};

/// Every kind of widget is a [`Widget`] holding just that kind.
macro_rules! into_widget {
    ($($kind:ident => $setter:ident,)*) => {$(
        impl From<$kind> for Widget {
            fn from(value: $kind) -> Self {
                Widget::new().$setter(value)
            }
        }
    )*};
}

into_widget! {
    ButtonList => set_button_list,
    Carousel => set_carousel,
    ChipList => set_chip_list,
    Columns => set_columns,
    DateTimePicker => set_date_time_picker,
    DecoratedText => set_decorated_text,
    Divider => set_divider,
    Grid => set_grid,
    WidgetHorizontalAlignment => set_horizontal_alignment,
    Image => set_image,
    SelectionInput => set_selection_input,
    TextInput => set_text_input,
    TextParagraph => set_text_paragraph,
    WidgetVisibility => set_visibility,
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::cards::{Card, CardWithId, Section};

    #[test]
    fn widgets_convert_and_cards_encode_with_wire_names() {
        let card = CardWithId::new().set_card_id("c").set_card(
            Card::new()
                .set_sections([Section::new().set_widgets([TextParagraph::new().set_text("hi")])]),
        );
        let json = serde_json::to_value(&card).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"card": {"sections": [{"widgets": [{"textParagraph": {"text": "hi"}}]}]}, "cardId": "c"})
        );
        let w: Widget = Divider::new().into();
        assert!(w.divider.is_some());
    }
}
